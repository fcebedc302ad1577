import type { AttemptRecord, CooldownEntry, CooldownKey, Message, ServedBy, Turn } from '../types.js';

/** Proof that a run holds a session: every write it makes is checked against `token`. */
export interface Lease {
  sessionId: string;
  runId: string;
  /** Fencing token; strictly grows per session across every lease ever granted. */
  token: number;
  /** Absolute ms (store clock) after which another run may take the lease over. */
  expiresAt: number;
}

export interface OpenRunArgs {
  runId: string;
  sessionId: string;
  now: number;
  /** How long the lease lasts without renewal. */
  leaseTtlMs: number;
  /** How long to wait for a busy session before SessionBusyError. */
  lockWaitMs: number;
  /** Providers of the chain, to read their cooldowns only. */
  providers: readonly string[];
  signal?: AbortSignal;
}

export interface OpenedRun {
  lease: Lease;
  /** The session's turns so far, in seq order. */
  history: Turn[];
  /** The same history as plain `{ role, content }` messages, if the store keeps them ready. */
  messages?: readonly Message[];
  /** Cooldowns of the given providers that are still active at `now`. */
  cooldowns: CooldownEntry[];
}

export interface CommitRunArgs {
  runId: string;
  /** The run's new message(s), appended before the reply. */
  messages: readonly Message[];
  reply: Message;
  servedBy: ServedBy;
  attempts: readonly AttemptRecord[];
  now: number;
}

export interface FailRunArgs {
  runId: string;
  sessionId: string;
  status: 'failed' | 'aborted';
  errorCode: string;
  errorMessage: string;
  attempts: readonly AttemptRecord[];
  now: number;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted' | 'orphaned' | 'abandoned';

export interface RunRecord {
  runId: string;
  sessionId: string;
  status: RunStatus;
  servedBy?: ServedBy;
  startedAt: number;
  finishedAt?: number;
  errorCode?: string;
  errorMessage?: string;
  attempts: AttemptRecord[];
}

/** A reply the provider returned but the run could not commit because it lost its lease. */
export interface OrphanRun {
  runId: string;
  sessionId: string;
  messages: Message[];
  reply: Message;
  servedBy: ServedBy;
  finishedAt: number;
}

/**
 * Where sessions, runs, attempts and cooldowns live. `openSqliteStore()` is the implementation;
 * the engine only talks to this interface.
 */
export interface SessionStore {
  readonly path: string;
  /** Takes the session lease (waiting up to lockWaitMs, in arrival order), records the run as running, reads history and cooldowns. */
  openRun(args: OpenRunArgs): Promise<OpenedRun>;
  /** Extends the lease; throws LeaseLostError if another run took it over. */
  renewLease(lease: Lease, now: number, ttlMs: number): Lease;
  /**
   * In one transaction checked against the lease token: appends messages then reply as turns,
   * marks the run succeeded with its attempts, releases the lease. Idempotent per (runId, index).
   * If the lease was lost, keeps the reply on the run as `orphaned` and throws LeaseLostError.
   */
  commitRun(lease: Lease, args: CommitRunArgs): { turns: Turn[] };
  /** Marks the run failed/aborted with its attempts and releases the lease (if still held). */
  failRun(lease: Lease | undefined, args: FailRunArgs): void;
  listTurns(sessionId: string): Turn[];
  getRun(runId: string): RunRecord | undefined;
  listOrphans(): OrphanRun[];
  activeCooldowns(providers: readonly string[], now: number): CooldownEntry[];
  /** Upserts: keeps the later `until`, takes the new reason and failure count. */
  putCooldown(entry: CooldownEntry): void;
  clearCooldowns(keys: readonly CooldownKey[]): void;
  close(): void;
}
