import type Database from 'better-sqlite3';

/**
 * Rows one INSERT writes at most. A run writes a few turns and attempts (usually 1 to 3), so
 * the statements for 1..MAX rows are the ones that get prepared; a longer list (a dead chain's
 * attempts) goes in chunks of MAX and one remainder. 16 rows of the widest table (attempts, 15
 * columns) bind 240 parameters, far under SQLite's limit (32 766).
 */
export const MAX_ROWS_PER_INSERT = 16;

export interface MultiRowInsertSpec<R, C = undefined> {
  /** `INSERT INTO t (a, b, c)`: what comes before VALUES. */
  into: string;
  /** Parameters per row: the number of columns `into` names. */
  columns: number;
  /** What follows the rows (an ON CONFLICT clause), or ''. */
  tail: string;
  /**
   * Appends a row's values, in the order `into` names the columns. `context` is what the caller
   * gave with the rows and `index` the row's place among them: a row's values may come from
   * both (a commit's turn: the message, and the session, run and seq), so no object per row
   * needs making to hold them.
   */
  values: (row: R, into: unknown[], context: C, index: number) => void;
}

/**
 * One INSERT of several rows instead of one per row: a better-sqlite3 statement costs
 * microseconds of its own whatever it writes, and a commit writes several rows of the same
 * table. The rows land exactly as one INSERT each would (the same values, in the same order,
 * each row meeting the conflict clause on its own). The statement for each row count is
 * prepared the first time a list of that length comes, then kept.
 */
export function multiRowInsert<R, C = undefined>(db: Database.Database, spec: MultiRowInsertSpec<R, C>): (rows: readonly R[], context?: C) => void {
  const prepared: (Database.Statement<unknown[]> | undefined)[] = [];
  const row = `(${new Array<string>(spec.columns).fill('?').join(', ')})`;
  const statement = (n: number): Database.Statement<unknown[]> =>
    (prepared[n] ??= db.prepare<unknown[]>(`${spec.into} VALUES ${new Array<string>(n).fill(row).join(', ')} ${spec.tail}`));
  return (rows, context) => {
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
      const end = Math.min(rows.length, start + MAX_ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (let i = start; i < end; i++) spec.values(rows[i]!, values, context as C, i);
      statement(end - start).run(...values);
    }
  };
}
