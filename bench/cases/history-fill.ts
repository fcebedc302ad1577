import type { Role, SessionStore } from '../../src/index.js';
import { newRunId } from '../../src/run-id.js';
import type { FloorDatabase } from '../floor/floor-database.js';

const WORDS = (
  'the run keeps its lease while the provider answers and every failure is classified before the next ' +
  'candidate is tried so the session history stays whole and each turn is written once under the fencing token'
).split(' ');

/** The text of turn `i`: a sentence of about 120 characters, different from its neighbours. */
export function turnText(i: number): string {
  let s = `turn ${i}:`;
  for (let w = i; s.length < 115; w = (w * 7 + 3) % WORDS.length) s += ` ${WORDS[w]}`;
  return s;
}

const roleOf = (i: number): Role => (i % 2 === 0 ? 'user' : 'assistant');

/** Mean length in characters (and bytes: the text is ASCII) of the first `count` turns' text. */
export function meanTextBytes(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += turnText(i).length;
  return sum / count;
}

/**
 * Gives `sessionId` `turns` turns through the store's port: runs committing at most `perRun`
 * each (one run by default; PostgreSQL takes at most 65 535 parameters, 8 a turn, per statement).
 */
export async function fillSession(store: SessionStore, sessionId: string, turns: number, perRun = turns): Promise<void> {
  for (let from = 0; from < turns; from += perRun) {
    const to = Math.min(turns, from + perRun);
    const runId = newRunId();
    const now = Date.now();
    const { lease } = await store.openRun({ runId, sessionId, now, leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
    const messages = Array.from({ length: to - from - 1 }, (_, i) => ({ role: roleOf(from + i), content: turnText(from + i) }));
    await store.commitRun(lease, {
      runId,
      messages,
      reply: { role: roleOf(to - 1), content: turnText(to - 1) },
      servedBy: { provider: 'fill', model: 'fill', profileId: 'fill:default' },
      attempts: [],
      now,
    });
  }
}

/** The same turns in the floor's database, with the store's own statements. */
export function fillFloorSession(floor: FloorDatabase, sessionId: string, turns: number): void {
  const runId = newRunId();
  floor.db.transaction(() => {
    floor.s.ensureSession.run(sessionId);
    for (let i = 0; i < turns; i++) {
      floor.s.insertTurn.run({ session: sessionId, seq: i + 1, role: roleOf(i), content: turnText(i), parts: null, providerOptions: null, runId, index: i });
    }
  }).immediate();
}
