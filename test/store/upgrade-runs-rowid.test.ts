import fs from 'node:fs';
import Database from 'better-sqlite3';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/store/index.js';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { decisionsJson } from '../../src/store/decisions-json.js';
import { attemptToRow } from '../../src/store/row-mapping.js';
import { prepareStatements } from '../../src/store/statements.js';
import type { SqliteSessionStore } from '../../src/store/open-sqlite-store.js';
import { attempt, commitArgs, decision, openArgs, openStore, tempDbPath } from './helpers.js';

// Schema 5 rebuilds `runs` as a rowid table (its rows hold decisions, error messages and
// orphaned replies: too large for WITHOUT ROWID). A database written at schema 4 migrates in
// one transaction and reads back exactly what a database written at schema 5 with the same
// writes reads (a property over any runs, and a case with the largest values); a damaged
// schema-4 file is refused before anything is migrated.

const VERSION_BEFORE = 4;
const NON_ASCII = 'é 😀 \u202E';

/** Deterministic pseudo-random ids, as a host's own run ids may be: not in start order. */
const hostId = (i: number) => `host-${((i * 2654435761) >>> 0).toString(36)}-${i}`;

/**
 * The same runs, written with the store's statements (unchanged by schema 5): successes with
 * decisions and attempts, a dead chain's failure with 30 KB of decisions and a 14 KB message,
 * an orphan with a large reply, a run still running, an abandoned one.
 */
function writeRuns(db: Database.Database): string[] {
  const s = prepareStatements(db);
  const ids: string[] = [];
  db.transaction(() => {
    for (const session of ['chat-1', 'chat-2']) s.ensureSession.run(session);
    for (let i = 0; i < 300; i++) {
      const runId = hostId(i);
      const session = i % 2 === 0 ? 'chat-1' : 'chat-2';
      // started out of id order, some at the same time
      const now = 1_000 + ((i * 37) % 101);
      s.insertRun.run({ runId, session, token: i + 1, now });
      s.insertTurn.run({ session, seq: i + 1, role: 'user', content: `q${i} ${NON_ASCII}`, parts: null, providerOptions: null, runId, index: 0 });
      const decisions = decisionsJson([decision('select', { at: now }), decision('persist', { at: now + 1, detail: `kept ${NON_ASCII}` })]);
      s.markSucceeded.run({ runId, now: now + 1, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main', decisions });
      s.insertAttempt.run(attemptToRow(runId, attempt(1, { startedAt: now })));
      ids.push(runId);
    }
    const dead = Array.from({ length: 129 }, (_, i) => decision('escalate', { at: 2_000 + i, reason: 'quota_exhausted', detail: `dead${i}/model-${i}: ${'x'.repeat(200)}` }));
    s.insertEndedRun.run({ runId: 'dead-128', session: 'chat-1', status: 'failed', now: 2_000, code: 'FALLBACK_EXHAUSTED', message: 'm'.repeat(14_000), decisions: decisionsJson(dead) });
    for (let n = 1; n <= 128; n++) s.insertAttempt.run(attemptToRow('dead-128', attempt(n, { outcome: 'failed', reason: 'quota_exhausted', provider: `dead${n}` })));
    s.insertRun.run({ runId: 'orphan-1', session: 'chat-2', token: 900, now: 2_100 });
    s.upsertOrphan.run({
      runId: 'orphan-1',
      session: 'chat-2',
      now: 2_101,
      provider: 'deepseek',
      model: 'deepseek-v4-pro',
      profileId: 'ds-main',
      messages: JSON.stringify([{ role: 'user', content: `lost ${NON_ASCII}` }]),
      reply: JSON.stringify({ role: 'assistant', content: 'r'.repeat(50_000) }),
      decisions: decisionsJson([decision('persist', { reason: 'lease_lost' })]),
      code: 'LEASE_LOST',
      errorMessage: 'another run took the session over',
    });
    s.insertRun.run({ runId: 'running-1', session: 'chat-1', token: 901, now: 2_200 });
    s.insertRun.run({ runId: 'abandoned-1', session: 'chat-2', token: 902, now: 2_300 });
    s.markAbandoned.run({ runId: 'abandoned-1', now: 2_400 });
  })();
  return [...ids, 'dead-128', 'orphan-1', 'running-1', 'abandoned-1'];
}

/** A WAL database at `version`, holding what `write` wrote. */
function databaseAt(version: number, write: (db: Database.Database) => string[] = writeRuns): { path: string; ids: string[] } {
  const path = tempDbPath();
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    expect(applyMigrations(db, path, MIGRATIONS.slice(0, version))).toBe(version);
    return { path, ids: write(db) };
  } finally {
    db.close();
  }
}

/** One run as the property writes it: how it ended, when it started, how large its texts are. */
interface RunSpec {
  id: string;
  session: 'chat-1' | 'chat-2';
  ending: 'succeeded' | 'failed' | 'orphaned' | 'running' | 'abandoned';
  startedAt: number;
  decisionCount: number;
  detail: string;
  messageLength: number;
}

const runSpec = fc.record({
  id: fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })),
  session: fc.constantFrom('chat-1' as const, 'chat-2' as const),
  ending: fc.constantFrom('succeeded' as const, 'failed' as const, 'orphaned' as const, 'running' as const, 'abandoned' as const),
  // few distinct times, so runs often start together (listings then order them by id)
  startedAt: fc.integer({ min: 1, max: 20 }),
  decisionCount: fc.nat({ max: 40 }),
  detail: fc.string({ unit: 'grapheme', maxLength: 300 }),
  messageLength: fc.nat({ max: 20_000 }),
});

function writeSpecs(specs: readonly RunSpec[]) {
  return (db: Database.Database): string[] => {
    const s = prepareStatements(db);
    db.transaction(() => {
      for (const session of ['chat-1', 'chat-2']) s.ensureSession.run(session);
      specs.forEach((r, i) => {
        const now = r.startedAt;
        const decisions = r.decisionCount === 0 ? null : decisionsJson(Array.from({ length: r.decisionCount }, (_, k) => decision('skip', { at: now + k, detail: r.detail })));
        const message = 'e'.repeat(r.messageLength);
        if (r.ending === 'failed') {
          s.insertEndedRun.run({ runId: r.id, session: r.session, status: 'failed', now, code: 'FALLBACK_EXHAUSTED', message, decisions });
          return;
        }
        s.insertRun.run({ runId: r.id, session: r.session, token: i + 1, now });
        if (r.ending === 'succeeded') s.markSucceeded.run({ runId: r.id, now: now + 1, ...served(), decisions });
        if (r.ending === 'abandoned') s.markAbandoned.run({ runId: r.id, now: now + 1 });
        if (r.ending === 'orphaned') {
          s.upsertOrphan.run({
            runId: r.id, session: r.session, now: now + 1, ...served(), decisions, code: null, errorMessage: null,
            messages: JSON.stringify([{ role: 'user', content: r.detail }]), reply: JSON.stringify({ role: 'assistant', content: message }),
          });
        }
        s.insertAttempt.run(attemptToRow(r.id, attempt(1, { startedAt: now, message: r.detail })));
      });
    })();
    return specs.map((r) => r.id);
  };
}

const served = () => ({ provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main' });

/** Everything the store's readers give about runs. */
async function readBack(store: SqliteSessionStore, ids: readonly string[]) {
  return {
    runs: await Promise.all(ids.map((id) => store.getRun(id))),
    listed: await store.listRuns({ limit: 1_000 }),
    failed: await store.listRuns({ failed: true, limit: 1_000 }),
    ofSession: await store.listRuns({ sessionId: 'chat-2', limit: 50 }),
    orphans: await store.listOrphans(),
    session: await store.getSession('chat-1'),
  };
}

const runsSql = (db: Database.Database) => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'").pluck().get() as string;

describe('a database written at schema 4, before runs was a rowid table', () => {
  it('migrates in place and reads back exactly what a database written at the latest schema reads', async () => {
    const old = databaseAt(VERSION_BEFORE);
    const fresh = databaseAt(LATEST_SCHEMA_VERSION);
    const raw = new Database(old.path, { readonly: true });
    expect(runsSql(raw)).toContain('WITHOUT ROWID');
    raw.close();

    const migrated = openStore({ path: old.path });
    expect(migrated.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const got = await readBack(migrated, old.ids);
    const want = await readBack(openStore({ path: fresh.path }), fresh.ids);
    expect(got).toEqual(want);
    // not vacuous: the large values are there
    const dead = got.runs.find((r) => r?.runId === 'dead-128')!;
    expect(dead.decisions).toHaveLength(129);
    expect(dead.errorMessage).toHaveLength(14_000);
    expect(dead.attempts).toHaveLength(128);
    expect(got.orphans).toHaveLength(1);
    expect(got.orphans[0]!.reply.content).toHaveLength(50_000);
    expect(got.listed).toHaveLength(304);
  });

  test.prop([fc.uniqueArray(runSpec, { selector: (r) => r.id, maxLength: 25 })], { numRuns: Math.min(fc.readConfigureGlobal().numRuns ?? 100, 30) })(
    'property: any runs written at schema 4 read back after the migration as the same runs written at the latest schema',
    async (specs) => {
      const old = databaseAt(VERSION_BEFORE, writeSpecs(specs));
      const fresh = databaseAt(LATEST_SCHEMA_VERSION, writeSpecs(specs));
      const migrated = openStore({ path: old.path });
      const reference = openStore({ path: fresh.path });
      expect(await readBack(migrated, old.ids)).toEqual(await readBack(reference, fresh.ids));
      await migrated.close();
      await reference.close();
    },
  );

  it('the migrated runs table is a rowid table with its indexes, its rows in start order, and the file is sound', async () => {
    const old = databaseAt(VERSION_BEFORE);
    await openStore({ path: old.path }).close();
    const db = new Database(old.path, { readonly: true });
    try {
      expect(runsSql(db)).not.toContain('WITHOUT ROWID');
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL ORDER BY name").pluck().all();
      expect(indexes).toEqual(['runs_orphaned', 'runs_session_started', 'runs_started']);
      const byRowid = db.prepare('SELECT id FROM runs ORDER BY rowid').pluck().all();
      const byStart = db.prepare('SELECT id FROM runs ORDER BY started_at, id').pluck().all();
      expect(byRowid).toEqual(byStart);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // the id stays the key: a second row with the same id is refused
      expect(() => db.prepare("INSERT INTO runs (id, session_id, status, started_at) VALUES ('dead-128', 'x', 'running', 1)").run()).toThrow();
    } finally {
      db.close();
    }
  });

  it('a run on the migrated database commits, reads back, and prune still deletes old runs with their attempts', async () => {
    const old = databaseAt(VERSION_BEFORE);
    const store = openStore({ path: old.path });
    const { lease } = await store.openRun(openArgs('new-run', 'chat-1', { now: 5_000 }));
    await store.commitRun(lease, commitArgs('new-run', { now: 5_001, decisions: [decision('persist')] }));
    expect(await store.getRun('new-run')).toMatchObject({ status: 'succeeded', decisions: [decision('persist')], attempts: [attempt(1)] });
    const pruned = await store.prune({ before: 3_000 });
    // every old run but the one still running; the orphan counted apart
    expect(pruned).toMatchObject({ runs: 302, orphans: 1 });
    expect((await store.listRuns({ limit: 1_000 })).map((r) => r.runId).sort()).toEqual(['new-run', 'running-1']);
  });

  it('a damaged schema-4 file is refused with STORE_CORRUPT and left at schema 4, unmigrated', async () => {
    const old = databaseAt(VERSION_BEFORE);
    const bytes = fs.readFileSync(old.path);
    const page = Math.floor(bytes.length / 4096 / 2);
    for (let i = 0; i < 4096; i++) bytes[page * 4096 + i] = (i * 7919 + 13) & 0xff;
    fs.writeFileSync(old.path, bytes);
    expect(() => openStore({ path: old.path })).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(fs.readFileSync(old.path).equals(bytes)).toBe(true);
    const db = new Database(old.path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(VERSION_BEFORE);
    } finally {
      db.close();
    }
  });
});
