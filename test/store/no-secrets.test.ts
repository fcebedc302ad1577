import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attempt, commitArgs, openArgs, openStore, tempDbPath } from './helpers.js';

const API_KEY = 'sk-live-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c2e';

/** Every byte SQLite has on disk for this database: the main file and its WAL. */
function fileBytes(dbPath: string): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`].filter((p) => fs.existsSync(p)).map((p) => fs.readFileSync(p)));
}

describe('API keys', () => {
  it('never reach the database file: profiles are stored by id', async () => {
    const dbPath = tempDbPath();
    const store = openStore({ path: dbPath });
    // the host's profile table: the store and the engine only ever see the ids
    const profiles = new Map([['openai-main', API_KEY]]);
    const [profileId] = [...profiles.keys()];
    if (!profileId) throw new Error('no profile');
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    const servedBy = { provider: 'openai-codex', model: 'gpt-5.5', profileId };
    store.putCooldown({ provider: 'openai-codex', profileId, until: 9_999, reason: 'quota_exhausted', failures: 1 });
    store.commitRun(lease, commitArgs('r1', { servedBy, attempts: [attempt(1, { ...servedBy, outcome: 'failed', reason: 'auth', status: 401, message: 'invalid api key' }), attempt(2, servedBy)] }));
    const bytes = fileBytes(dbPath);
    // the scan sees what the store wrote (so it can fail), and the key is not among it
    expect(bytes.includes(Buffer.from(profileId))).toBe(true);
    expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
    expect(bytes.includes(Buffer.from(API_KEY.slice(8)))).toBe(false);
    store.close(); // checkpoints the WAL into the main file
    expect(fileBytes(dbPath).includes(Buffer.from(API_KEY))).toBe(false);
  });
});
