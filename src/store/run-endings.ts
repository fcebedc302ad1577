import type Database from 'better-sqlite3';
import { decisionsJson } from './decisions-json.js';
import { ConfigError, LeaseLostError } from '../errors.js';
import type { AttemptRecord, Decision, Message, Turn } from '../types.js';
import type { HistoryCache } from './history-cache.js';
import type { Statements } from './statements.js';
import { checkText, isWellFormed, wellFormed } from './text-checks.js';
import { turnFromRow, turnOf } from './turn-rows.js';
import type { CommitRunArgs, FailRunArgs, Lease, UncommittedTurns } from './types.js';

type CommitOutcome = { kind: 'committed'; turns: Turn[] } | { kind: 'repeated'; turns: Turn[] } | { kind: 'lost' };


/**
 * What goes into turns must come back exactly (see checkText); the rest is only informative.
 * Parts are stored as JSON, which escapes what SQLite text could not hold.
 */
function checkTurnText(a: { messages: readonly Message[]; reply: Message }): void {
  // a loop, and the field's name made only for a text that fails: no closure and no string per message, every commit
  for (let i = 0; i < a.messages.length; i++) {
    const content = a.messages[i]!.content;
    if (typeof content === 'string' && !isWellFormed(content)) checkText(`messages[${i}].content`, content);
  }
  if (typeof a.reply.content === 'string') checkText('reply.content', a.reply.content);
}

/**
 * The two ways a run ends. Both are one BEGIN IMMEDIATE transaction that checks the lease
 * (owner + fencing token) before touching session data, and both only ever write the run's own
 * row when the lease is gone. `onReleased` lets the store wake a waiter of the same process
 * right away instead of at its next poll.
 */
export function createRunEndings(db: Database.Database, s: Statements, history: HistoryCache, onReleased: (sessionId: string) => void) {
  const insertAttempts = (runId: string, attempts: readonly AttemptRecord[]): void => {
    if (attempts.length === 0) return;
    let records = attempts;
    for (let i = 0; i < attempts.length; i++) {
      const a = attempts[i]!;
      const message = a.message === undefined ? undefined : wellFormed(a.message);
      // a copy only for a message wellFormed changed (almost never): not of every list, nor a spread of every failed attempt
      if (message === a.message) continue;
      if (records === attempts) records = attempts.slice();
      (records as AttemptRecord[])[i] = { ...a, message };
    }
    s.insertAttemptRecords(records, runId);
  };
  const keepOrphan = (runId: string, sessionId: string, u: UncommittedTurns, now: number, decisions: string | null, error?: { code: string; message: string }) => {
    const { provider, model, profileId } = u.servedBy;
    s.upsertOrphan.run({
      runId,
      session: sessionId,
      now,
      provider,
      model,
      profileId,
      messages: JSON.stringify(u.messages),
      reply: JSON.stringify(u.reply),
      decisions,
      code: error?.code ?? null,
      errorMessage: error?.message ?? null,
    });
  };

  const commit = db.transaction((lease: Lease, a: CommitRunArgs): CommitOutcome => {
    // the run's status, the lease (owner + fencing token) and the last seq, in one read
    const check = s.commitCheck.get(lease.sessionId, a.runId)!;
    // a repeated commit of a run that already landed returns what landed and writes nothing
    if (check.status === 'succeeded') return { kind: 'repeated', turns: s.turnsOfRun.all(a.runId).map((t) => turnFromRow(t, lease.sessionId)) };
    const decisions = decisionsJson(a.decisions);
    if (check.lease_owner !== lease.runId || check.lease_token !== lease.token) {
      keepOrphan(a.runId, lease.sessionId, a, a.now, decisions);
      insertAttempts(a.runId, a.attempts);
      return { kind: 'lost' };
    }
    const base = check.last_seq ?? 0;
    const messages = a.messages.concat([a.reply]);
    const turns = new Array<Turn>(messages.length);
    // No parameter object per turn (the statement takes the messages as they are), and the turns
    // as literals (turnOf): V8 copies a spread the slow, generic way.
    for (let index = 0; index < messages.length; index++) turns[index] = turnOf(messages[index]!, base + index + 1, a.runId);
    s.insertCommitTurns(messages, { session: lease.sessionId, runId: a.runId, base });
    const { provider, model, profileId } = a.servedBy;
    s.markSucceeded.run({ runId: a.runId, now: a.now, provider, model, profileId, decisions });
    insertAttempts(a.runId, a.attempts);
    s.releaseLease.run({ session: lease.sessionId, owner: lease.runId, token: lease.token, turns: turns.length, now: a.now });
    return { kind: 'committed', turns };
  });

  const fail = db.transaction((lease: Lease | undefined, a: FailRunArgs): boolean => {
    const status = s.runStatus.get(a.runId);
    if (status === 'succeeded') return false;
    const message = wellFormed(a.errorMessage);
    const decisions = decisionsJson(a.decisions);
    const ended = { runId: a.runId, now: a.now, code: a.errorCode, message, decisions };
    if (a.uncommitted) keepOrphan(a.runId, a.sessionId, a.uncommitted, a.now, decisions, { code: a.errorCode, message });
    else if (status === undefined) s.insertEndedRun.run({ ...ended, session: a.sessionId, status: a.status });
    else if (status === 'running' || status === 'abandoned') s.endRun.run({ ...ended, status: a.status });
    else if (status === 'orphaned') s.noteOrphanError.run(ended);
    insertAttempts(a.runId, a.attempts);
    if (!lease) return false;
    return s.releaseLease.run({ session: lease.sessionId, owner: lease.runId, token: lease.token, turns: 0, now: a.now }).changes > 0;
  });

  const checkRunId = (lease: Lease | undefined, runId: string): void => {
    if (lease && lease.runId !== runId) throw new ConfigError('runId', `run ${runId} was given the lease of run ${lease.runId}`);
  };

  return {
    /** Synchronous: one transaction (the store wraps it in its busy retries). */
    commitRun(lease: Lease, a: CommitRunArgs): { turns: Turn[] } {
      checkRunId(lease, a.runId);
      checkTurnText(a);
      const out = commit.immediate(lease, a);
      if (out.kind === 'lost') throw new LeaseLostError(lease.sessionId, a.runId, 'another run took the session over; the reply is kept on the run as orphaned');
      if (out.kind === 'committed') {
        history.appended(lease.sessionId, a.runId, out.turns);
        onReleased(lease.sessionId);
      }
      return { turns: out.turns };
    },
    /** Synchronous: one transaction. */
    failRun(lease: Lease | undefined, a: FailRunArgs): void {
      checkRunId(lease, a.runId);
      if (fail.immediate(lease, a) && lease) onReleased(lease.sessionId);
    },
  };
}
