import { describe, expect, it } from 'vitest';
import { retryWhileBusy } from '../../src/store/busy-retry.js';

// The retry policy alone, with the error codes better-sqlite3 throws (the real database under a
// real foreign lock is in busy-database.test.ts and open-faults.test.ts).
const coded = (code: string) => Object.assign(new Error(code), { code });
const open = { stopped: () => undefined };

/** An attempt that throws the given errors in turn, then answers. */
function scripted(errors: unknown[]) {
  let calls = 0;
  return {
    attempt: () => {
      const e = errors[calls++];
      if (e) throw e;
      return 'done';
    },
    calls: () => calls,
  };
}

describe('retryWhileBusy', () => {
  it('answers at once, without a timer, when nothing is busy', async () => {
    const s = scripted([]);
    const pending = retryWhileBusy(s.attempt, { ...open, maxWaitMs: 1_000 });
    expect(s.calls()).toBe(1); // ran in the caller's turn
    await expect(pending).resolves.toBe('done');
  });

  it('retries the whole transaction while the database is busy (BUSY, BUSY_SNAPSHOT, LOCKED)', async () => {
    const s = scripted([coded('SQLITE_BUSY'), coded('SQLITE_BUSY_SNAPSHOT'), coded('SQLITE_LOCKED')]);
    await expect(retryWhileBusy(s.attempt, { ...open, maxWaitMs: 5_000 })).resolves.toBe('done');
    expect(s.calls()).toBe(4);
  });

  it('gives up with the last busy error once maxWaitMs is spent; 0 means one try', async () => {
    const always = () => {
      throw coded('SQLITE_BUSY');
    };
    await expect(retryWhileBusy(always, { ...open, maxWaitMs: 30 })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    const s = scripted([coded('SQLITE_BUSY')]);
    await expect(retryWhileBusy(s.attempt, { ...open, maxWaitMs: 0 })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(s.calls()).toBe(1);
  });

  it('retries a passing I/O error three times, then gives up', async () => {
    const io = coded('SQLITE_IOERR_SHORT_READ');
    const passing = scripted([io, io, io]);
    await expect(retryWhileBusy(passing.attempt, { ...open, maxWaitMs: 5_000 })).resolves.toBe('done');
    const staying = scripted([io, io, io, io, io]);
    await expect(retryWhileBusy(staying.attempt, { ...open, maxWaitMs: 5_000 })).rejects.toBe(io);
    expect(staying.calls()).toBe(4);
  });

  it('does not retry what waiting cannot fix: a full disk, a constraint, a corrupt file', async () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CORRUPT']) {
      const s = scripted([coded(code)]);
      await expect(retryWhileBusy(s.attempt, { ...open, maxWaitMs: 5_000 })).rejects.toMatchObject({ code });
      expect(s.calls()).toBe(1);
    }
  });

  it('stops with the store’s error when the store was closed during a wait', async () => {
    let closed: Error | undefined;
    const s = scripted([coded('SQLITE_BUSY'), coded('SQLITE_BUSY')]);
    const pending = retryWhileBusy(s.attempt, { maxWaitMs: 5_000, stopped: () => closed });
    closed = new Error('store closed');
    await expect(pending).rejects.toBe(closed);
    expect(s.calls()).toBe(1);
  });

  it('runs the retries, not the first try, without the synchronous busy wait', async () => {
    const modes: string[] = [];
    const s = scripted([coded('SQLITE_BUSY'), coded('SQLITE_BUSY')]);
    const withoutBusyWait = <T>(fn: () => T): T => {
      modes.push('quick');
      return fn();
    };
    await retryWhileBusy(() => (modes.push('try'), s.attempt()), { ...open, maxWaitMs: 5_000, withoutBusyWait });
    expect(modes).toEqual(['try', 'quick', 'try', 'quick', 'try']);
  });
});
