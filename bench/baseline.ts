import Database from 'better-sqlite3';
import { createActor, fromPromise, setup, toPromise } from 'xstate';

/**
 * The floor a persisted run is compared with: a bare actor doing the same work (take the
 * session, call the provider, persist: three invoked promises), plus a bare SQLite transaction.
 */
const bare = setup({
  actors: { work: fromPromise(async () => 'reply') },
}).createMachine({
  initial: 'opening',
  context: { reply: '' },
  states: {
    opening: { invoke: { src: 'work', onDone: 'calling' } },
    calling: { invoke: { src: 'work', onDone: { target: 'persisting', actions: ({ context, event }) => void (context.reply = event.output) } } },
    persisting: { invoke: { src: 'work', onDone: 'done' } },
    done: { type: 'final' },
  },
});

export async function bareActorRun(): Promise<void> {
  const actor = createActor(bare).start();
  await toPromise(actor);
}

/**
 * The SQL a persisted run needs, with nothing around it: take the session (upsert, read, grant,
 * insert the run, read history), then commit (two turns, one attempt, run and session updates),
 * each in one transaction (in memory, or on a WAL file with synchronous=NORMAL like the store).
 */
export function bareTransaction(path = ':memory:'): { run: () => void; close: () => void } {
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL'), db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, owner TEXT, token INTEGER NOT NULL DEFAULT 0, expires INTEGER);
    CREATE TABLE runs (id TEXT PRIMARY KEY, session TEXT, status TEXT, started INTEGER, finished INTEGER);
    CREATE TABLE turns (session TEXT, seq INTEGER, role TEXT, content TEXT, run TEXT, PRIMARY KEY (session, seq));
    CREATE TABLE attempts (run TEXT, n INTEGER, provider TEXT, model TEXT, outcome TEXT, PRIMARY KEY (run, n));`);
  const ensure = db.prepare('INSERT INTO sessions (id) VALUES (?) ON CONFLICT (id) DO NOTHING');
  const get = db.prepare('SELECT owner, token, expires FROM sessions WHERE id = ?');
  const grant = db.prepare('UPDATE sessions SET owner = ?, token = token + 1, expires = ? WHERE id = ?');
  const insertRun = db.prepare("INSERT INTO runs (id, session, status, started) VALUES (?, ?, 'running', ?)");
  const history = db.prepare('SELECT seq, role, content FROM turns WHERE session = ? ORDER BY seq');
  const insertTurn = db.prepare('INSERT INTO turns VALUES (?, ?, ?, ?, ?)');
  const insertAttempt = db.prepare("INSERT INTO attempts VALUES (?, 1, 'a', 'm', 'succeeded')");
  const finishRun = db.prepare("UPDATE runs SET status = 'succeeded', finished = ? WHERE id = ?");
  const release = db.prepare('UPDATE sessions SET owner = NULL, expires = NULL WHERE id = ? AND owner = ?');
  const open = db.transaction((session: string, run: string) => {
    ensure.run(session);
    get.get(session);
    grant.run(run, Date.now() + 30_000, session);
    insertRun.run(run, session, Date.now());
    return history.all(session);
  });
  const commit = db.transaction((session: string, run: string) => {
    insertTurn.run(session, 1, 'user', 'hello', run);
    insertTurn.run(session, 2, 'assistant', 'reply', run);
    insertAttempt.run(run);
    finishRun.run(Date.now(), run);
    release.run(session, run);
  });
  let n = 0;
  return {
    run: () => {
      const id = String(n++);
      open.immediate(`s${id}`, id);
      commit.immediate(`s${id}`, id);
    },
    close: () => db.close(),
  };
}
