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

export function bareTransaction() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE turns (session TEXT, seq INTEGER, role TEXT, content TEXT, run TEXT, PRIMARY KEY (session, seq))');
  const insert = db.prepare('INSERT INTO turns VALUES (?, ?, ?, ?, ?)');
  let seq = 0;
  const tx = db.transaction((run: string) => {
    insert.run('s', ++seq, 'user', 'hello', run);
    insert.run('s', ++seq, 'assistant', 'reply', run);
  });
  return { run: () => tx(String(seq)), close: () => db.close() };
}
