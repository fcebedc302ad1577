import Database from 'better-sqlite3';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { MAX_ROWS_PER_INSERT } from '../../src/store/multi-row-insert.js';
import { attemptToRow } from '../../src/store/row-mapping.js';
import { prepareStatements, type AttemptRow, type InsertTurn, type Statements } from '../../src/store/statements.js';
import { turnColumns } from '../../src/store/turn-rows.js';
import type { AttemptRecord, Message } from '../../src/types.js';

// A commit writes its turns and attempts with one INSERT each (insertTurns, insertAttempts):
// the rows must be exactly those one insertTurn / insertAttempt per row writes, in every
// column, for lists of any length (one statement, a full chunk, chunks and a remainder), and a
// row meeting the conflict clause must be skipped as it would be alone, also when the row it
// conflicts with comes earlier in the same statement.

function database(): { db: Database.Database; s: Statements } {
  const db = new Database(':memory:');
  applyMigrations(db, ':memory:', MIGRATIONS);
  return { db, s: prepareStatements(db) };
}

const all = (db: Database.Database, table: 'turns' | 'attempts'): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY ${table === 'turns' ? 'session_id, seq' : 'run_id, n'}`).all();

/** The rows written both ways, each way in one transaction as the store does. */
function bothWays<R>(rows: readonly R[], one: (s: Statements, row: R) => void, many: (s: Statements, rows: readonly R[]) => void, table: 'turns' | 'attempts') {
  const a = database();
  const b = database();
  try {
    a.db.transaction(() => rows.forEach((r) => one(a.s, r)))();
    b.db.transaction(() => many(b.s, rows))();
    return { singly: all(a.db, table), together: all(b.db, table) };
  } finally {
    a.db.close();
    b.db.close();
  }
}

const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const json = fc.option(fc.json({ maxDepth: 1 }), { nil: null });

// seq is the row's place (the primary key never conflicts, as in a commit); run and index come
// from small sets, so (run_id, run_index) often does: those rows must be skipped
const turnRows = fc
  .array(
    fc.record({
      session: fc.constantFrom('chat-1', 'chat-2'),
      role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const, 'tool' as const),
      content: text,
      parts: json,
      providerOptions: json,
      runId: fc.constantFrom('run-a', 'run-b', 'run-c'),
      index: fc.nat({ max: 12 }),
    }),
    { minLength: 1, maxLength: 3 * MAX_ROWS_PER_INSERT + 5 },
  )
  .map((rows): InsertTurn[] => rows.map((r, i) => ({ ...r, seq: i + 1 })));

const attemptRows = fc.array(
  fc.record({
    run_id: fc.constantFrom('run-a', 'run-b'),
    n: fc.integer({ min: 1, max: 40 }),
    provider: text,
    model: text,
    profile_id: text,
    outcome: fc.constantFrom('succeeded' as const, 'failed' as const),
    reason: fc.option(text, { nil: null }),
    scope: fc.option(text, { nil: null }),
    status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
    message: fc.option(text, { nil: null }),
    started_at: fc.double({ min: 0, max: 2e12, noNaN: true }),
    duration_ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    probe: fc.constantFrom(0, 1),
    usage: json,
    streamed: fc.constantFrom(0, 1),
  }),
  { minLength: 1, maxLength: 3 * MAX_ROWS_PER_INSERT + 5 },
) as fc.Arbitrary<AttemptRow[]>;

// a commit's messages: text, parts, provider options
const messages = fc.array(
  fc.oneof(
    fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const), content: text }),
    fc.record({ role: fc.constant('user' as const), content: fc.constant([{ type: 'text' as const, text: 'part' }]) }),
    fc.record({ role: fc.constant('assistant' as const), content: text, providerOptions: fc.constant({ openai: { store: false } }) }),
  ),
  { minLength: 1, maxLength: 2 * MAX_ROWS_PER_INSERT + 3 },
) as fc.Arbitrary<Message[]>;

// a run's attempt records: every optional field present or not
const attemptRecords = fc.array(
  fc.record(
    {
      n: fc.integer({ min: 1, max: 40 }),
      provider: text,
      model: text,
      profileId: text,
      outcome: fc.constantFrom('succeeded' as const, 'failed' as const),
      reason: fc.constantFrom('overloaded' as const, 'quota_exhausted' as const),
      scope: fc.constantFrom('model' as const, 'profile' as const),
      status: fc.integer({ min: 100, max: 599 }),
      message: text,
      startedAt: fc.double({ min: 0, max: 2e12, noNaN: true }),
      durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
      probe: fc.boolean(),
      usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }),
      streamed: fc.boolean(),
    },
    { requiredKeys: ['n', 'provider', 'model', 'profileId', 'outcome', 'startedAt', 'durationMs'] },
  ),
  { minLength: 1, maxLength: 2 * MAX_ROWS_PER_INSERT + 3 },
) as fc.Arbitrary<AttemptRecord[]>;

/** The rows of `table` after `write` in one transaction on a fresh database. */
function written(write: (s: Statements) => void, table: 'turns' | 'attempts'): unknown[] {
  const { db, s } = database();
  try {
    db.transaction(() => write(s))();
    return all(db, table);
  } finally {
    db.close();
  }
}

describe('multi-row inserts', () => {
  test.prop([messages, fc.nat({ max: 1000 })])('insertCommitTurns writes the rows a commit made for insertTurns from its messages', (ms, base) => {
    const rows = ms.map((m, index): InsertTurn => ({ session: 'chat-1', seq: base + index + 1, role: m.role, ...turnColumns(m), runId: 'run-a', index }));
    expect(written((s) => s.insertCommitTurns(ms, { session: 'chat-1', runId: 'run-a', base }), 'turns')).toEqual(written((s) => s.insertTurns(rows), 'turns'));
  });

  test.prop([attemptRecords])('insertAttemptRecords writes the rows insertAttempts writes of attemptToRow', (records) => {
    expect(written((s) => s.insertAttemptRecords(records, 'run-a'), 'attempts')).toEqual(written((s) => s.insertAttempts(records.map((a) => attemptToRow('run-a', a))), 'attempts'));
  });

  test.prop([turnRows])('insertTurns writes the rows insertTurn writes one at a time, conflicting rows skipped alike', (rows) => {
    const { singly, together } = bothWays(rows, (s, r) => s.insertTurn.run(r), (s, rs) => s.insertTurns(rs), 'turns');
    expect(together).toEqual(singly);
  });

  test.prop([attemptRows])('insertAttempts writes the rows insertAttempt writes one at a time, conflicting rows skipped alike', (rows) => {
    const { singly, together } = bothWays(rows, (s, r) => s.insertAttempt.run(r), (s, rs) => s.insertAttempts(rs), 'attempts');
    expect(together).toEqual(singly);
  });

  it('writes 1, 2, a full chunk, and more rows in one statement per chunk of MAX_ROWS_PER_INSERT', () => {
    for (const count of [1, 2, MAX_ROWS_PER_INSERT, MAX_ROWS_PER_INSERT + 1, 2 * MAX_ROWS_PER_INSERT + 3]) {
      const { db, s } = database();
      try {
        const rows: InsertTurn[] = Array.from({ length: count }, (_, i) => ({
          session: 'chat-1',
          seq: i + 1,
          role: i % 2 === 0 ? 'user' : 'assistant',
          content: `turn ${i}`,
          parts: null,
          providerOptions: null,
          runId: 'run-a',
          index: i,
        }));
        expect(countRuns(() => s.insertTurns(rows))).toBe(Math.ceil(count / MAX_ROWS_PER_INSERT));
        expect((all(db, 'turns') as { seq: number }[]).map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
      } finally {
        db.close();
      }
    }
  });

  it('an empty list writes nothing and runs no statement', () => {
    const { db, s } = database();
    try {
      expect(countRuns(() => (s.insertTurns([]), s.insertAttempts([])))).toBe(0);
      expect(all(db, 'turns')).toEqual([]);
      expect(all(db, 'attempts')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

/** Statements `work` runs (better-sqlite3's `run`, wrapped for the call only). */
function countRuns(work: () => void): number {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  probe.close();
  const run = proto.run;
  let count = 0;
  proto.run = function (this: unknown, ...args: unknown[]) {
    count++;
    return run.apply(this, args);
  };
  try {
    work();
  } finally {
    proto.run = run;
  }
  return count;
}
