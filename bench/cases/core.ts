import type { BenchCase } from '../harness/types.js';
import { persistedRunCase } from './persisted-run.js';
import { ONE_FAILURE, QUOTA_INCIDENT, SUCCESS } from './scenarios.js';
import type { Storage } from './storage.js';

const STORAGE_TITLE: Record<Storage, string> = { memory: 'SQLite :memory:', wal: 'SQLite WAL file, synchronous=NORMAL' };

/** Success, one failure, the quota incident: each in memory and on a WAL file. */
export function coreCases(): BenchCase[] {
  const out: BenchCase[] = [];
  for (const storage of ['memory', 'wal'] as const) {
    out.push(
      persistedRunCase({ name: `success/${storage}`, title: `the first candidate answers (${STORAGE_TITLE[storage]})`, scenario: SUCCESS, storage }),
      persistedRunCase({
        name: `one-failure/${storage}`,
        title: `the first candidate is overloaded (529), the next answers (${STORAGE_TITLE[storage]})`,
        scenario: ONE_FAILURE,
        storage,
      }),
      persistedRunCase({
        name: `quota-incident/${storage}`,
        title: `the README incident as it first happens: 2 calls, 1 skip (${STORAGE_TITLE[storage]})`,
        scenario: QUOTA_INCIDENT,
        storage,
      }),
    );
  }
  return out;
}
