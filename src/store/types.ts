import type { LlmFailoverError } from '../errors.js';
import type { AttemptRecord, CooldownEntry, CooldownKey, Decision, Message, ServedBy, Turn } from '../types.js';

// The store port: what the engine and the operations tools need from wherever sessions live.
// Every method returns a promise, so a network database fits behind it; `openSqliteStore()` is
// the embedded implementation, and test/store/contract/ is the suite every implementation must
// pass. Times are "store clock" ms: whatever `now` the callers pass (the engine passes its
// clock's time; in production, ms since the epoch). Durations named `...WaitMs` are real time.

/** Proof that a run holds a session: every write it makes is checked against `token`. */
export interface Lease {
  sessionId: string;
  runId: string;
  /** Fencing token; strictly grows per session across every lease ever granted. */
  token: number;
  /** Absolute ms (store clock) after which another run may take the lease over. */
  expiresAt: number;
}

/** How long one call may wait for a busy database (real ms) before it fails with `STORE_BUSY`. */
export interface WaitOptions {
  /** Default: the store's own bound (`busyWaitMs` of the SQLite store). 0: one try. */
  maxWaitMs?: number;
}

export interface OpenRunArgs {
  runId: string;
  sessionId: string;
  now: number;
  /** How long the lease lasts without renewal. */
  leaseTtlMs: number;
  /** How long to wait for a busy session, or a busy database, before failing (SESSION_BUSY / STORE_BUSY). */
  lockWaitMs: number;
  /** Providers of the chain, to read their cooldowns only. */
  providers: readonly string[];
  /** Aborting it gives up the wait (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Called once if the store ends the lease without the run, because the store was closed: the
   * run's row is already closed (failed, `STORE_CLOSED`) and the lease released. The argument
   * is that typed error.
   */
  onRevoked?: (error: LlmFailoverError) => void;
}

export interface OpenedRun {
  lease: Lease;
  /** The session's turns so far, in seq order. */
  history: Turn[];
  /** The same history as plain `{ role, content }` messages, if the store keeps them ready. */
  messages?: readonly Message[];
  /** Cooldowns of the given providers as activeCooldowns() reads them at `now`. */
  cooldowns: CooldownEntry[];
}

export interface CommitRunArgs extends WaitOptions {
  runId: string;
  /** The run's new message(s), appended before the reply. */
  messages: readonly Message[];
  reply: Message;
  servedBy: ServedBy;
  attempts: readonly AttemptRecord[];
  /** The run's decisions, kept with the run (JSON) for timelines. */
  decisions?: readonly Decision[];
  now: number;
}

/** A reply that could not be committed, to keep on the run's row as an orphan. */
export interface UncommittedTurns {
  messages: readonly Message[];
  reply: Message;
  servedBy: ServedBy;
}

export interface FailRunArgs extends WaitOptions {
  runId: string;
  sessionId: string;
  status: 'failed' | 'aborted';
  errorCode: string;
  errorMessage: string;
  attempts: readonly AttemptRecord[];
  decisions?: readonly Decision[];
  /** The reply the run got but could not commit: the run is recorded `orphaned`, keeping it. */
  uncommitted?: UncommittedTurns;
  now: number;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted' | 'orphaned' | 'abandoned';

/** A run without its attempts and decisions, as listings show it. */
export interface RunSummary {
  runId: string;
  sessionId: string;
  status: RunStatus;
  servedBy?: ServedBy;
  startedAt: number;
  finishedAt?: number;
  errorCode?: string;
  errorMessage?: string;
}

export interface RunRecord extends RunSummary {
  attempts: AttemptRecord[];
  /** What the run decided and why, in order (empty for a run that is still running or was cut). */
  decisions: Decision[];
}

/** A reply the provider returned but the run could not commit (lease lost, or the commit failed). */
export interface OrphanRun {
  runId: string;
  sessionId: string;
  messages: Message[];
  reply: Message;
  servedBy: ServedBy;
  finishedAt: number;
}

export interface SessionSummary {
  sessionId: string;
  /** Turns in the session. */
  turns: number;
  /** The run holding the lease, if any (it may have expired: compare `leaseExpiresAt` with now). */
  leaseOwner?: string;
  leaseExpiresAt?: number;
  /** Store-clock time of the last lease grant, commit or failure on the session. */
  lastActivityAt?: number;
}

export interface SessionDetail {
  session: SessionSummary;
  turns: Turn[];
  /** Newest first. */
  runs: RunSummary[];
}

export interface ListSessionsQuery {
  /** Default 100. */
  limit?: number;
}

export interface ListRunsQuery {
  sessionId?: string;
  /** Only runs that ended without a committed reply: failed, aborted, orphaned, abandoned. */
  failed?: boolean;
  /** Default 100. */
  limit?: number;
}

/** Which cooldowns to clear: every given field must match; an omitted one matches anything. */
export interface CooldownMatch {
  provider?: string;
  profileId?: string;
  model?: string;
}

export interface PruneArgs {
  /** Store-clock time: runs that finished before it go. */
  before: number;
}

/** What `prune` deleted. */
export interface PruneResult {
  /** Finished runs other than orphans. */
  runs: number;
  attempts: number;
  /** Orphaned runs (their uncommitted replies go with them). */
  orphans: number;
}

/**
 * What the engine needs from a store, and all a custom `store` of `createRunActor` must have.
 * A method may reject with any error: the engine reports one that is not an `LlmFailoverError`
 * as a `StoreError` (`STORE_FAILED`) with the original as `cause`.
 */
export interface RunStore {
  /** Where the store lives, for messages (never credentials). */
  readonly path?: string;
  /**
   * Takes the session lease (waiting up to `lockWaitMs`, first come first served), records the
   * run as running, reads history and cooldowns: one transaction.
   */
  openRun(args: OpenRunArgs): Promise<OpenedRun>;
  /** Extends the lease to `now + ttlMs`; rejects with LeaseLostError if another run took it over. */
  renewLease(lease: Lease, now: number, ttlMs: number, options?: WaitOptions): Promise<Lease>;
  /**
   * In one transaction checked against the lease token: appends messages then reply as turns,
   * marks the run succeeded with its attempts and decisions, releases the lease. Idempotent per
   * (runId, index). If the lease was lost, keeps the reply on the run as `orphaned` and rejects
   * with LeaseLostError.
   */
  commitRun(lease: Lease, args: CommitRunArgs): Promise<{ turns: Turn[] }>;
  /**
   * Marks the run failed/aborted (or `orphaned`, keeping `uncommitted`) with its attempts and
   * decisions, and releases the lease if still held: one transaction.
   */
  failRun(lease: Lease | undefined, args: FailRunArgs): Promise<void>;
  /**
   * The cooldowns of these providers in force at `now`, and those that ended within the last
   * 24 h without a success clearing them (`until <= now`): they still count failures, and carry
   * `probeRunId`/`probeUntil` while a run's probe claim on them holds.
   */
  activeCooldowns(providers: readonly string[], now: number, options?: WaitOptions): Promise<CooldownEntry[]>;
  /**
   * Atomically claims the probe of the ended cooldowns of these keys for `runId`, until
   * `now + holdMs`: false, claiming nothing, when one of them is in force again or another run's
   * claim still holds. A key without a cooldown needs no claim. A put of the key ends the claim.
   * Optional for a custom store: without it every run may probe an ended cooldown.
   */
  claimProbe?(keys: readonly CooldownKey[], runId: string, now: number, holdMs: number, options?: WaitOptions): Promise<boolean>;
  /** Upserts: keeps the later `until`, takes the new reason and failure count, ends a probe claim. */
  putCooldown(entry: CooldownEntry, options?: WaitOptions): Promise<void>;
  /** Deletes exactly these keys. */
  clearCooldowns(keys: readonly CooldownKey[], options?: WaitOptions): Promise<void>;
}

/** Reading and maintaining a store: what the operations CLI uses. */
export interface StoreOperations {
  /** Sessions, most recently active first. */
  listSessions(query?: ListSessionsQuery): Promise<SessionSummary[]>;
  /** One session with its turns and runs; undefined if it never had a run. */
  getSession(sessionId: string): Promise<SessionDetail | undefined>;
  listTurns(sessionId: string): Promise<Turn[]>;
  /** Runs, newest first. */
  listRuns(query?: ListRunsQuery): Promise<RunSummary[]>;
  /** One run with its attempts and decisions. */
  getRun(runId: string): Promise<RunRecord | undefined>;
  listOrphans(): Promise<OrphanRun[]>;
  /** Every cooldown in force at `now`, of every provider. */
  listCooldowns(now: number): Promise<CooldownEntry[]>;
  /** Deletes the cooldowns matching; returns how many. */
  clearCooldownsMatching(match: CooldownMatch): Promise<number>;
  /** Deletes finished runs (never a running one), their attempts and orphans older than `before`; never turns. */
  prune(args: PruneArgs): Promise<PruneResult>;
  /**
   * Closes the store. Runs still waiting for a session fail with `STORE_CLOSED`; runs holding a
   * lease of this store are closed on their rows (failed, `STORE_CLOSED`), their leases
   * released, and their `onRevoked` called. Later calls reject with `STORE_CLOSED`.
   */
  close(): Promise<void>;
}

/** The whole contract of a store: the engine's port plus operations. */
export interface SessionStore extends RunStore, StoreOperations {
  readonly path: string;
}
