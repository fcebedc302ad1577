import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, type Message } from '../../src/index.js';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore, tempDbPath } from './helpers.js';

// A database written before messages had parts (schema version 2) opens with this version,
// migrates in place, and reads its text turns back exactly; a damaged parts column is reported
// as corruption, never guessed at.

const OLD_TURNS = [
  { seq: 1, role: 'system', content: 'Be brief.', runId: 'old-1' },
  { seq: 2, role: 'user', content: 'hello 😀 \u202E bidi', runId: 'old-1' },
  { seq: 3, role: 'assistant', content: 'Hi.\nHow can I help?', runId: 'old-1' },
  { seq: 4, role: 'tool', content: 'a tool turn written as text', runId: 'old-2' },
];

/** A schema-2 database with one session, written with the statements of that version. */
function writeVersion2Database(path: string): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    expect(applyMigrations(db, path, MIGRATIONS.slice(0, 2))).toBe(2);
    const insertTurn = db.prepare(
      'INSERT INTO turns (session_id, seq, role, content, run_id, run_index) VALUES (@session, @seq, @role, @content, @runId, @index)',
    );
    OLD_TURNS.forEach((t, i) => insertTurn.run({ session: 'chat-1', ...t, index: i }));
    db.prepare("INSERT INTO sessions (id, version, lease_token, turn_count, last_active_at) VALUES ('chat-1', 2, 2, 4, 5)").run();
    for (const id of ['old-1', 'old-2']) {
      db.prepare(
        "INSERT INTO runs (id, session_id, status, lease_token, started_at, finished_at, served_provider, served_model, served_profile_id) VALUES (?, 'chat-1', 'succeeded', 1, 1, 2, 'p', 'm', 'k')",
      ).run(id);
    }
  } finally {
    db.close();
  }
}

describe('a database written before messages had parts', () => {
  it('migrates in place to the latest schema and reads its text turns back exactly', async () => {
    const path = tempDbPath();
    writeVersion2Database(path);
    const store = openStore({ path });
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const turns = await store.listTurns('chat-1');
    expect(turns).toEqual(OLD_TURNS);
    for (const t of turns) expect(Object.keys(t).sort()).toEqual(['content', 'role', 'runId', 'seq']);
    expect((await store.listSessions())[0]).toMatchObject({ sessionId: 'chat-1', turns: 4 });
  });

  it('a run on the migrated session sends exactly the old history, then appends a turn with parts that reads back too', async () => {
    const path = tempDbPath();
    writeVersion2Database(path);
    const store = openStore({ path });
    let sent: readonly Message[] = [];
    const toolCall: Message = { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: { q: 'x' } }] };
    const actor = createRunActor({
      sessionId: 'chat-1',
      messages: [{ role: 'user', content: 'look it up' }],
      chain: ['p/m'],
      store,
      call: async (req) => ((sent = req.messages), { messages: [toolCall] }),
    });
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    const old = OLD_TURNS.map(({ role, content }) => ({ role, content }));
    expect(sent).toEqual([...old, { role: 'user', content: 'look it up' }]);
    await store.close();
    const reopened = openStore({ path });
    const after = await reopened.listTurns('chat-1');
    expect(after.slice(0, 4)).toEqual(OLD_TURNS);
    expect(after.slice(4).map(({ role, content }) => ({ role, content }))).toEqual([{ role: 'user', content: 'look it up' }, toolCall]);
  });

  it('a parts column holding something other than a JSON array is STORE_CORRUPT naming the turn, and other sessions still read', async () => {
    const path = tempDbPath();
    writeVersion2Database(path);
    const first = openStore({ path });
    await first.listTurns('chat-1');
    await first.close();
    const raw = new Database(path);
    raw.prepare("UPDATE turns SET parts = '{\"not\": \"an array\"' WHERE seq = 3").run();
    raw
      .prepare("INSERT INTO turns (session_id, seq, role, content, parts, run_id, run_index) VALUES ('chat-2', 1, 'user', 'fine', NULL, 'other', 0)")
      .run();
    raw.close();
    const store = openStore({ path });
    await expect(store.listTurns('chat-1')).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('turn 3 of session chat-1') });
    await expect(store.openRun({ runId: 'r9', sessionId: 'chat-1', now: 10, leaseTtlMs: 5_000, lockWaitMs: 0, providers: [] })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    expect(await store.listTurns('chat-2')).toEqual([{ seq: 1, role: 'user', content: 'fine', runId: 'other' }]);
  });
});
