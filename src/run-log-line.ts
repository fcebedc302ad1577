import { scrubSecrets } from './classify/scrub-secrets.js';
import type { RunEvent } from './events.js';
import type { CooldownKey } from './types.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn';
  /** The sentence a reader of the log sees. */
  msg: string;
}

function duration(ms: number): string {
  if (ms < 10_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : 'the end of the run');

function blocked(k: CooldownKey): string {
  if (k.profileId !== undefined && k.model !== undefined) return `${k.provider}/${k.model} under ${k.profileId}`;
  if (k.profileId !== undefined) return `profile ${k.profileId} of ${k.provider}`;
  if (k.model !== undefined) return `${k.provider}/${k.model}`;
  return `provider ${k.provider}`;
}

/**
 * The log line of a run event, or undefined for events the log leaves out (stream deltas: they
 * are the reply's text). Decisions read as their sentence, the same as `decisions[].detail`;
 * each failed call is one `info` line with its reason and message (a host's bug at `warn`), a
 * failed run a `warn` line with its code. Messages are scrubbed of keys once more here, as the
 * last thing before the log.
 */
export function runLogLine(e: RunEvent): LogLine | undefined {
  switch (e.type) {
    case 'attempt.started':
      return { level: 'debug', msg: `call ${e.attempt} to ${e.provider}/${e.model} on ${e.profileId}${e.probe ? ', probing a candidate that is cooling down' : ''}` };
    case 'attempt.succeeded':
      return { level: 'debug', msg: `call ${e.attempt} to ${e.provider}/${e.model} on ${e.profileId} answered in ${e.durationMs} ms` };
    case 'attempt.failed': {
      const status = e.status !== undefined ? ` (HTTP ${e.status})` : '';
      const wait = e.retryAfterMs !== undefined ? `, provider asks to wait ${duration(e.retryAfterMs)}` : '';
      return {
        level: e.reason === 'host_error' ? 'warn' : 'info',
        msg: scrubSecrets(`call ${e.attempt} to ${e.provider}/${e.model} on ${e.profileId} failed after ${e.durationMs} ms: ${e.reason}${status}, scope ${e.scope}${wait}: ${e.message}`),
      };
    }
    case 'retry.scheduled':
    case 'profile.rotated':
    case 'candidate.skipped':
    case 'model.escalated':
    case 'session.persisted':
      return { level: 'info', msg: e.detail };
    case 'cooldown.set': {
      const c = e.cooldown;
      return { level: 'info', msg: `cooling down ${blocked(c)} until ${iso(c.until)} after ${c.reason} (${c.failures} failure(s) in a row), for every run` };
    }
    case 'cooldown.cleared':
      return { level: 'info', msg: `a success cleared the cooldown of ${e.keys.map(blocked).join(', ')}` };
    case 'reply.reset':
      return { level: 'info', msg: `the stream of call ${e.attempt} broke after text was shown (${e.reason}): that text is dropped and the reply starts over` };
    case 'reply.delta':
      return undefined;
    case 'tool.started':
      return { level: 'debug', msg: `step ${e.step}: tool ${e.toolName} started (call ${e.toolCallId})` };
    case 'tool.finished':
      return e.outcome === 'ok'
        ? { level: 'debug', msg: `step ${e.step}: tool ${e.toolName} answered in ${e.durationMs} ms (call ${e.toolCallId})` }
        : { level: 'info', msg: scrubSecrets(`step ${e.step}: tool ${e.toolName} failed after ${e.durationMs} ms (call ${e.toolCallId}); the model gets the error: ${e.error ?? ''}`) };
    case 'run.succeeded':
      return { level: 'info', msg: `run served by ${e.servedBy.provider}/${e.servedBy.model} on ${e.servedBy.profileId} after ${e.attempts} call(s)` };
    case 'run.failed':
      return { level: 'warn', msg: scrubSecrets(`run failed with ${e.code} after ${e.attempts} call(s): ${e.message}`) };
  }
}
