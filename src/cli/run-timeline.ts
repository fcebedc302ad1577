import type { RunEvent } from '../events.js';
import type { RunRecord } from '../store/types.js';
import type { AttemptRecord, Decision } from '../types.js';
import { formatEvent, offset } from './format-event.js';

// Every call follows exactly one of these decisions: that is how a stored run's decisions and
// attempts interleave, even when they share a millisecond.
const LEADS_TO_CALL = new Set<Decision['kind']>(['select', 'escalate', 'probe', 'rotate', 'retry']);

function attemptEvents(runId: string, a: AttemptRecord): RunEvent[] {
  const target = { runId, provider: a.provider, model: a.model, profileId: a.profileId, attempt: a.n };
  const end = a.startedAt + a.durationMs;
  return [
    { type: 'attempt.started', ...target, at: a.startedAt, probe: a.probe === true },
    a.outcome === 'succeeded'
      ? { type: 'attempt.succeeded', ...target, at: end, durationMs: a.durationMs }
      : { type: 'attempt.failed', ...target, at: end, reason: a.reason ?? 'unknown', scope: a.scope ?? 'request', ...(a.status !== undefined ? { status: a.status } : {}), message: a.message ?? '', durationMs: a.durationMs },
  ];
}

function endEvent(run: RunRecord): RunEvent | undefined {
  const at = run.finishedAt ?? run.startedAt;
  if (run.status === 'succeeded' && run.servedBy) return { type: 'run.succeeded', runId: run.runId, at, sessionId: run.sessionId, servedBy: run.servedBy, attempts: run.attempts.length };
  if (run.status === 'running') return undefined;
  return { type: 'run.failed', runId: run.runId, at, sessionId: run.sessionId, code: run.errorCode ?? run.status, message: run.errorMessage ?? '', attempts: run.attempts.length };
}

/**
 * A stored run as the demo prints a live one: its calls in the demo's own words (formatEvent
 * over the events the attempts stand for) between the run's decisions, with times from its start.
 */
export function runTimeline(run: RunRecord): string[] {
  const lines: string[] = [];
  const attempts = [...run.attempts];
  const call = () => {
    const a = attempts.shift();
    if (!a) return;
    for (const e of attemptEvents(run.runId, a)) lines.push(formatEvent(e, run.startedAt)!);
  };
  for (const d of run.decisions) {
    lines.push(`${offset(d.at, run.startedAt)}  ${d.detail}`);
    if (LEADS_TO_CALL.has(d.kind)) call();
  }
  // a run that is still running, or was cut, has no decisions: its calls in order
  while (attempts.length > 0) call();
  const end = endEvent(run);
  if (end) lines.push(formatEvent(end, run.startedAt)!);
  return lines;
}
