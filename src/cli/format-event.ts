import type { RunEvent } from '../events.js';

const until = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? '' : ` until ${new Date(t).toISOString()}`);

/** The time column of the timeline: ms since the run started. */
export const offset = (at: number, startedAt: number): string => `+${String(at - startedAt).padStart(5)} ms`;

/** One line of the decision timeline, or undefined for events the timeline leaves out. */
export function formatEvent(e: RunEvent, startedAt: number): string | undefined {
  const t = offset(e.at, startedAt);
  switch (e.type) {
    case 'attempt.started':
      return `${t}  call ${e.attempt}  ${e.provider}/${e.model} as ${e.profileId}${e.probe ? ' (probe)' : ''}`;
    case 'attempt.failed':
      return `${t}    ✗ ${[e.status, e.reason, `[scope ${e.scope}]`, e.message].filter((p) => p !== undefined).join(' ')}`;
    case 'attempt.succeeded':
      return `${t}    ✓ answered in ${e.durationMs} ms`;
    case 'cooldown.set': {
      const c = e.cooldown;
      const key = [c.provider, c.profileId && `profile ${c.profileId}`, c.model && `model ${c.model}`].filter(Boolean).join(' ');
      return `${t}  cooldown ${key}: ${c.reason}${until(c.until)}`;
    }
    case 'retry.scheduled':
      return `${t}  retry ${e.provider}/${e.model} in ${e.delayMs} ms (${e.reason})`;
    case 'profile.rotated':
      return `${t}  rotate ${e.provider}: ${e.fromProfileId} → ${e.toProfileId} (${e.reason})`;
    case 'candidate.skipped': {
      const b = e.blockedBy;
      const what = b ? (b.profileId ? `profile ${b.profileId}` : b.model ? `model ${b.model}` : `provider ${b.provider}`) : '';
      const why = b ? `${what} ${e.reason === 'cooldown' ? 'cooling down' : 'failed in this run'} (${b.reason})${until(b.until)}` : e.reason;
      return `${t}  skip ${e.provider}/${e.model} without a call: ${why}`;
    }
    case 'model.escalated':
      return `${t}  ${e.probe ? 'probe' : 'escalate to'} ${e.to.provider}/${e.to.model} (${e.reason})`;
    case 'reply.reset':
      return `${t}  reset: the text of call ${e.attempt} is not the answer (${e.reason})`;
    case 'session.persisted':
      return `${t}  persisted ${e.turns} turn(s) to session ${e.sessionId}`;
    case 'run.succeeded':
      return `${t}  ✓ run served by ${e.servedBy.provider}/${e.servedBy.model} with ${e.attempts} call(s)`;
    case 'run.failed':
      return `${t}  ✗ run failed after ${e.attempts} call(s): ${e.code}`;
    default:
      return undefined;
  }
}
