import Database from 'better-sqlite3';

type Method = 'run' | 'get' | 'all' | 'iterate';
const METHODS: readonly Method[] = ['run', 'get', 'all', 'iterate'];

/**
 * Counts the SQLite statements `work` executes (every prepared statement of every connection
 * of this process), by wrapping the methods of better-sqlite3's statement prototype for the
 * duration of `work` only: never while timing. BEGIN and COMMIT of `db.transaction()` are not
 * statements of ours and are not counted.
 */
export async function countStatements(work: () => Promise<void>): Promise<number> {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  probe.close();
  const originals = METHODS.map((m) => proto[m]);
  let count = 0;
  METHODS.forEach((m, i) => {
    const original = originals[i]!;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
  });
  try {
    await work();
  } finally {
    METHODS.forEach((m, i) => {
      proto[m] = originals[i]!;
    });
  }
  return count;
}
