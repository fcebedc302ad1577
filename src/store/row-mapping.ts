import type { FailureReason, FailureScope } from '../classify/types.js';
import type { AttemptRecord, CooldownEntry, Decision, Message, ServedBy, Usage } from '../types.js';
import type { AttemptRow, RunRow } from './statements.js';
import type { OrphanRun, RunRecord, RunSummary, SessionSummary } from './types.js';

export function attemptToRow(runId: string, a: AttemptRecord): AttemptRow {
  return {
    run_id: runId,
    n: a.n,
    provider: a.provider,
    model: a.model,
    profile_id: a.profileId,
    outcome: a.outcome,
    reason: a.reason ?? null,
    scope: a.scope ?? null,
    status: a.status ?? null,
    message: a.message ?? null,
    started_at: a.startedAt,
    duration_ms: a.durationMs,
    probe: a.probe ? 1 : 0,
    usage: a.usage ? JSON.stringify(a.usage) : null,
    streamed: a.streamed ? 1 : 0,
  };
}

/**
 * attemptToRow's values, in the attempts table's column order (statements.ts), appended to
 * `into`: a commit writes them so, with no row object per attempt. The two must agree (tested).
 */
export function attemptValues(runId: string, a: AttemptRecord, into: unknown[]): void {
  into.push(
    runId,
    a.n,
    a.provider,
    a.model,
    a.profileId,
    a.outcome,
    a.reason ?? null,
    a.scope ?? null,
    a.status ?? null,
    a.message ?? null,
    a.startedAt,
    a.durationMs,
    a.probe ? 1 : 0,
    a.usage ? JSON.stringify(a.usage) : null,
    a.streamed ? 1 : 0,
  );
}

// optional fields are left out rather than set to undefined, so records compare cleanly
export function rowToAttempt(r: AttemptRow): AttemptRecord {
  const a: AttemptRecord = {
    n: r.n,
    provider: r.provider,
    model: r.model,
    profileId: r.profile_id,
    outcome: r.outcome,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
  };
  if (r.reason !== null) a.reason = r.reason as FailureReason;
  if (r.scope !== null) a.scope = r.scope as FailureScope;
  if (r.status !== null) a.status = r.status;
  if (r.message !== null) a.message = r.message;
  if (r.probe !== 0) a.probe = true;
  if (r.streamed) a.streamed = true;
  if (r.usage !== null && r.usage !== undefined) a.usage = JSON.parse(r.usage) as Usage;
  return a;
}

function servedBy(r: Pick<RunRow, 'served_provider' | 'served_model' | 'served_profile_id'>): ServedBy | undefined {
  if (r.served_provider === null || r.served_model === null || r.served_profile_id === null) return undefined;
  return { provider: r.served_provider, model: r.served_model, profileId: r.served_profile_id };
}

export function rowToRunSummary(r: Omit<RunRow, 'orphan_messages' | 'orphan_reply' | 'decisions'>): RunSummary {
  const run: RunSummary = { runId: r.id, sessionId: r.session_id, status: r.status, startedAt: r.started_at };
  const served = servedBy(r);
  if (served) run.servedBy = served;
  if (r.finished_at !== null) run.finishedAt = r.finished_at;
  if (r.error_code !== null) run.errorCode = r.error_code;
  if (r.error_message !== null) run.errorMessage = r.error_message;
  return run;
}

export function rowToRun(r: RunRow, attempts: AttemptRecord[]): RunRecord {
  return { ...rowToRunSummary(r), attempts, decisions: r.decisions === null ? [] : (JSON.parse(r.decisions) as Decision[]) };
}

export function rowToOrphan(r: RunRow): OrphanRun {
  return {
    runId: r.id,
    sessionId: r.session_id,
    messages: JSON.parse(r.orphan_messages ?? '[]') as Message[],
    reply: JSON.parse(r.orphan_reply ?? 'null') as Message,
    servedBy: servedBy(r) ?? { provider: '', model: '', profileId: '' },
    finishedAt: r.finished_at ?? r.started_at,
  };
}

/** A cooldowns row of either store: absent key parts are '' (NULLs never collide in a primary key). */
export interface CooldownRow {
  provider: string;
  profile_id: string;
  model: string;
  until: number;
  reason: string;
  failures: number;
  probe_run_id?: string | null;
  probe_until?: number | null;
}

export function rowToCooldown(r: CooldownRow): CooldownEntry {
  const e: CooldownEntry = { provider: r.provider, until: r.until, reason: r.reason as FailureReason, failures: r.failures };
  if (r.profile_id !== '') e.profileId = r.profile_id;
  if (r.model !== '') e.model = r.model;
  if (r.probe_run_id != null && r.probe_until != null) {
    e.probeRunId = r.probe_run_id;
    e.probeUntil = r.probe_until;
  }
  return e;
}

/** A sessions row as the listings read it, in either store. */
export interface SessionListRow {
  id: string;
  turn_count: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_active_at: number | null;
}

export function rowToSession(r: SessionListRow): SessionSummary {
  const out: SessionSummary = { sessionId: r.id, turns: r.turn_count };
  if (r.lease_owner !== null) out.leaseOwner = r.lease_owner;
  if (r.lease_owner !== null && r.lease_expires_at !== null) out.leaseExpiresAt = r.lease_expires_at;
  if (r.last_active_at !== null) out.lastActivityAt = r.last_active_at;
  return out;
}
