import { copyFileSync } from 'node:fs';
import { decisionsJson } from '../../src/store/decisions-json.js';
import { attemptToRow } from '../../src/store/row-mapping.js';
import type { AttemptRecord, Decision } from '../../src/index.js';
import { openFloorDatabase } from '../floor/floor-database.js';

/** What a grown database holds before a case runs on it. */
export interface GrownShape {
  /** Finished runs, each with its turns, attempts and decisions. */
  runs: number;
  /** Sessions the runs went round. */
  sessions: number;
  /** One run in this many failed on a long dead chain (large decisions and error message). */
  deadChainEvery: number;
  /** Cooldowns of providers no run of the case uses: in force (several profiles each). */
  cooldowns: number;
  /** Cooldowns ended more than a day ago, left for the store's periodic cleanup. */
  expiredCooldowns: number;
}

export const GROWN: GrownShape = { runs: 100_000, sessions: 10_000, deadChainEvery: 100, cooldowns: 10_000, expiredCooldowns: 10_000 };

/** Runs written per transaction while seeding. */
const BATCH = 2_000;
/** A cooldown that stays in force whatever a leaping run clock reads (bench/engine/clocks.ts). */
const NEVER_ENDS = 1e15;
const DEAD_CHAIN = 32;

export interface RunTemplate {
  attempts: readonly AttemptRecord[];
  decisions: readonly Decision[];
}

/** A dead chain's record: every candidate failed, one decision each, a message naming them all. */
function deadChainTemplate(): RunTemplate & { message: string } {
  const attempts = Array.from({ length: DEAD_CHAIN }, (_, i): AttemptRecord => ({
    n: i + 1,
    provider: `gone${i}`,
    model: `model-${i}`,
    profileId: `gone${i}`,
    outcome: 'failed',
    reason: 'quota_exhausted',
    scope: 'provider',
    status: 429,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    startedAt: i,
    durationMs: 1,
  }));
  const decisions = attempts.map((a): Decision => ({
    kind: 'escalate',
    at: a.startedAt,
    provider: a.provider,
    model: a.model,
    profileId: a.profileId,
    reason: 'quota_exhausted',
    detail: `${a.provider}/${a.model} failed: quota_exhausted (provider scope), moving to the next candidate`,
  }));
  const message = `All ${DEAD_CHAIN} candidates failed: ${attempts.map((a) => `${a.provider}/${a.model}: quota_exhausted (429)`).join('; ')}`;
  return { attempts, decisions, message };
}

/**
 * Writes a database as a long-lived store leaves it, with the store's own opening and
 * statements: `shape.runs` finished runs over `shape.sessions` sessions (two turns each, the
 * attempts and decisions of `template`, one in `deadChainEvery` a failed dead chain), and
 * cooldowns of providers the case's chain does not name. Then copies the file to each of
 * `copies` (once closed, its WAL checkpointed), so the engine and its floor start from the same
 * bytes.
 */
export function writeGrownDatabase(path: string, copies: readonly string[], template: RunTemplate, shape: GrownShape = GROWN): void {
  const { db, s, cooldowns, close } = openFloorDatabase(path);
  try {
    const dead = deadChainTemplate();
    const decisions = decisionsJson(template.decisions);
    const deadDecisions = decisionsJson(dead.decisions);
    const seqs = new Array<number>(shape.sessions).fill(0);
    const start = Date.now() - 30 * 86_400_000;
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const session = `grown-${i % shape.sessions}`;
        if (i < shape.sessions) s.ensureSession.run(session);
        const runId = `grown-run-${String(i).padStart(8, '0')}`;
        const now = start + i * 10;
        s.insertRun.run({ runId, session, token: i + 1, now });
        if (i % shape.deadChainEvery === shape.deadChainEvery - 1) {
          s.endRun.run({ runId, status: 'failed', now, code: 'FALLBACK_EXHAUSTED', message: dead.message, decisions: deadDecisions });
          for (const a of dead.attempts) s.insertAttempt.run(attemptToRow(runId, a));
          continue;
        }
        const seq = seqs[i % shape.sessions]!;
        s.insertTurn.run({ session, seq: seq + 1, role: 'user', content: `question ${i}`, parts: null, providerOptions: null, runId, index: 0 });
        s.insertTurn.run({ session, seq: seq + 2, role: 'assistant', content: `answer ${i}`, parts: null, providerOptions: null, runId, index: 1 });
        seqs[i % shape.sessions] = seq + 2;
        s.markSucceeded.run({ runId, now, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'deepseek', decisions });
        for (const a of template.attempts) s.insertAttempt.run(attemptToRow(runId, a));
      }
    });
    for (let from = 0; from < shape.runs; from += BATCH) batch(from, Math.min(shape.runs, from + BATCH));
    db.transaction(() => {
      db.prepare('UPDATE sessions SET turn_count = (SELECT count(*) FROM turns WHERE session_id = sessions.id)').run();
      for (let i = 0; i < shape.cooldowns; i++) {
        // ten profiles a provider, every other one model-scoped
        const provider = `other${Math.floor(i / 10)}`;
        const profileId = `${provider}:key${i % 10}`;
        const model = i % 2 === 0 ? `model-${i % 7}` : undefined;
        cooldowns.put({ provider, profileId, ...(model ? { model } : {}), reason: 'rate_limit', failures: 1 + (i % 3), until: NEVER_ENDS });
      }
      for (let i = 0; i < shape.expiredCooldowns; i++) {
        cooldowns.put({ provider: `lapsed${Math.floor(i / 10)}`, profileId: `key${i % 10}`, reason: 'overloaded', failures: 1, until: start + i });
      }
    })();
  } finally {
    close();
  }
  for (const copy of copies) copyFileSync(path, copy);
}
