import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/index.js';
import type { SessionStore } from '../../src/store/types.js';
import { cooldownsContract } from './contract/cooldowns.contract.js';
import { historyContract } from './contract/history.contract.js';
import { leasesContract } from './contract/leases.contract.js';
import { operationsContract } from './contract/operations.contract.js';
import { runsContract } from './contract/runs.contract.js';
import type { StoreFactory } from './contract/store-factory.js';
import { turnsContract } from './contract/turns.contract.js';
import { waitingContract } from './contract/waiting.contract.js';

// The store contract (test/store/contract/) on SQLite: each test gets its own database file,
// and a second connection to it stands for a second process.
const dirs: string[] = [];
const paths = new WeakMap<SessionStore, string>();

const sqlite: StoreFactory = {
  name: 'SQLite',
  async open(options = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmf-contract-'));
    dirs.push(dir);
    const file = path.join(dir, 'store.db');
    const store = openSqliteStore({ path: file, ...options });
    paths.set(store, file);
    return store;
  },
  async connect(store, options = {}) {
    const file = paths.get(store);
    if (!file) throw new Error('connect() takes a store this factory opened');
    const other = openSqliteStore({ path: file, ...options });
    paths.set(other, file);
    return other;
  },
  async cleanup() {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  },
};

runsContract(sqlite);
leasesContract(sqlite);
waitingContract(sqlite);
cooldownsContract(sqlite);
operationsContract(sqlite);
turnsContract(sqlite);
historyContract(sqlite);
