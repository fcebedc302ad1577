import { newRunId } from '../../src/run-id.js';
import { attemptToRow } from '../../src/store/row-mapping.js';
import type { TurnRow } from '../../src/store/statements.js';
import { turnColumns } from '../../src/store/turn-rows.js';
import type { Message } from '../../src/types.js';
import type { BareWork } from './bare-machine.js';
import { BareRuns } from './bare-runs.js';
import type { FloorDatabase } from './floor-database.js';
import type { FloorPlan } from './floor-plan.js';

/** The engine's default lease (DEFAULT_POLICY.leaseTtlMs). */
const LEASE_TTL_MS = 30_000;
/** Sessions whose history the floor keeps, as many as the store's cache by default. */
const HISTORY_CACHE_SESSIONS = 256;

type HistoryEntry = Pick<TurnRow, 'role'> & { content: Message['content'] };

export interface FloorRunsOptions {
  /** The store time of the next run (a leaping sequence when the case's cooldowns must not outlive a run). */
  now: () => number;
  /**
   * Keep each session's history in memory (rows appended as they come) and read only the turns
   * after the last one kept, as the store's history cache does; false: read every turn, every run.
   */
  cacheHistory: boolean;
}

/**
 * The floor of a persisted run: the bare machine (bare-machine.ts) whose effects run
 * the store's own statements, composed into the fewest transactions and reads the run needs:
 *
 * - open (one BEGIN IMMEDIATE): openSession (the session's lease, head ticket and last seq),
 *   grantLease (insertLeasedSession for a session without a row), insertRun, the periodic
 *   cooldown cleanup, turnsAfter (the turns after the last one kept, or all of them; no
 *   statement when there are none), the cooldowns of each provider of the chain;
 * - each failed call: the cooldown it shares (one upsert, as putCooldown does) and the
 *   cooldowns of the failed call's provider (one read);
 * - a call's messages: the history followed by the run's new messages (one array per call);
 * - commit (one BEGIN IMMEDIATE): commitCheck (the run's status, the fencing check and the
 *   last seq), insertTurns (one INSERT for the run's turns), markSucceeded with the run's
 *   decisions as JSON, insertAttempts (one INSERT for its attempts), releaseLease; or, for a
 *   failed run, runStatus, endRun, insertAttempts, releaseLease. Turns, attempts and decisions
 *   are turned into their columns on every run.
 *
 * No events, making of decisions, classification, validation, logging or lease renewal timer.
 */
export class FloorRuns extends BareRuns {
  readonly #db: FloorDatabase;
  readonly #plan: FloorPlan;
  readonly #o: FloorRunsOptions;
  readonly #histories = new Map<string, { lastSeq: number; turns: HistoryEntry[] }>();
  readonly #open;
  readonly #commit;
  readonly #fail;
  /** The messages of the last call, kept so that building them cannot be optimised away. */
  lastMessages: readonly HistoryEntry[] = [];

  constructor(db: FloorDatabase, plan: FloorPlan, o: FloorRunsOptions) {
    super(plan.ending);
    this.#db = db;
    this.#plan = plan;
    this.#o = o;
    const { s, cooldowns } = db;
    this.#open = db.db.transaction((sessionId: string, runId: string, now: number) => {
      const row = s.openSession.get(sessionId, Date.now())!;
      const token = (row.lease_token ?? 0) + 1;
      const grant = { session: sessionId, owner: runId, token, expiresAt: now + LEASE_TTL_MS, now };
      if (row.lease_token !== null) s.grantLease.run(grant);
      else s.insertLeasedSession.run(grant);
      s.insertRun.run({ runId, session: sessionId, token, now });
      cooldowns.maybeCleanup(now);
      const kept = this.#histories.get(sessionId);
      const after = kept?.lastSeq ?? 0;
      const rows = after >= (row.last_seq ?? 0) ? [] : s.turnsAfter.all(sessionId, after);
      let history: HistoryEntry[] = rows;
      if (o.cacheHistory) {
        const h = kept ?? { lastSeq: 0, turns: [] };
        for (const r of rows) h.turns.push(r);
        if (rows.length > 0) h.lastSeq = rows[rows.length - 1]!.seq;
        // least recently used out, as the store's cache does
        this.#histories.delete(sessionId);
        this.#histories.set(sessionId, h);
        if (this.#histories.size > HISTORY_CACHE_SESSIONS) this.#histories.delete(this.#histories.keys().next().value!);
        history = h.turns;
      }
      cooldowns.active(plan.providers, now);
      return { token, history };
    });
    this.#commit = db.db.transaction((sessionId: string, runId: string, token: number, now: number) => {
      const check = s.commitCheck.get(sessionId, runId)!;
      if (check.lease_owner !== runId || check.lease_token !== token) throw new Error('floor run lost its lease');
      const base = check.last_seq ?? 0;
      const turns = [...plan.messages, plan.reply];
      s.insertTurns(turns.map((m, index) => ({ session: sessionId, seq: base + index + 1, role: m.role, ...turnColumns(m), runId, index })));
      s.markSucceeded.run({ runId, now, ...plan.servedBy!, decisions: JSON.stringify(plan.decisions) });
      s.insertAttempts(plan.attempts.map((a) => attemptToRow(runId, a)));
      s.releaseLease.run({ session: sessionId, owner: runId, token, turns: turns.length, now });
      return base + turns.length;
    });
    this.#fail = db.db.transaction((sessionId: string, runId: string, token: number, now: number) => {
      s.runStatus.get(runId);
      const { code, message } = plan.error!;
      s.endRun.run({ runId, status: 'failed', now, code, message, decisions: JSON.stringify(plan.decisions) });
      s.insertAttempts(plan.attempts.map((a) => attemptToRow(runId, a)));
      s.releaseLease.run({ session: sessionId, owner: runId, token, turns: 0, now });
    });
  }

  /** The I/O of one floor run on `sessionId`. */
  work(sessionId: string): BareWork {
    const plan = this.#plan;
    const runId = newRunId();
    const now = this.#o.now();
    const gate = this.gate;
    let token = 0;
    let history: readonly HistoryEntry[] = [];
    return {
      calls: plan.calls.length,
      open: async () => {
        ({ token, history } = this.#open.immediate(sessionId, runId, now));
      },
      call: async (index) => {
        const messages = [...history, ...plan.messages];
        const c = plan.calls[index]!;
        if (index === plan.calls.length - 1 && gate.closed) await gate.pass();
        this.lastMessages = messages;
        if (c.ok) return true;
        if (c.share) this.#db.cooldowns.put({ ...c.share.key, until: now + c.share.untilAfterMs, reason: c.share.reason, failures: c.share.failures });
        if (c.reread) this.#db.cooldowns.active([c.reread], now);
        return false;
      },
      persist: async () => {
        const lastSeq = this.#commit.immediate(sessionId, runId, token, now);
        const kept = this.#histories.get(sessionId);
        if (kept) {
          plan.messages.forEach((m) => kept.turns.push(m));
          kept.turns.push(plan.reply);
          kept.lastSeq = lastSeq;
        }
      },
      close: async () => {
        this.#fail.immediate(sessionId, runId, token, now);
      },
    };
  }
}
