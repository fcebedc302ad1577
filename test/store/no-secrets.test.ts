import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor } from '../../src/create-run-actor.js';
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
    await store.putCooldown({ provider: 'openai-codex', profileId, until: 9_999, reason: 'quota_exhausted', failures: 1 });
    await store.commitRun(lease, commitArgs('r1', { servedBy, attempts: [attempt(1, { ...servedBy, outcome: 'failed', reason: 'auth', status: 401, message: 'invalid api key' }), attempt(2, servedBy)] }));
    const bytes = fileBytes(dbPath);
    // the scan sees what the store wrote (so it can fail), and the key is not among it
    expect(bytes.includes(Buffer.from(profileId))).toBe(true);
    expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
    expect(bytes.includes(Buffer.from(API_KEY.slice(8)))).toBe(false);
    await store.close(); // checkpoints the WAL into the main file
    expect(fileBytes(dbPath).includes(Buffer.from(API_KEY))).toBe(false);
  });
});

describe('API keys through the engine', () => {
  it('a provider error that echoes the key is stored scrubbed, and the key bytes never reach the file', async () => {
    const dbPath = tempDbPath();
    const store = openStore({ path: dbPath });
    const keys: Record<string, string> = { 'openai-main': API_KEY, 'openai-spare': `${API_KEY}-spare` };
    const actor = createRunActor({
      runId: 'keyrun',
      sessionId: 's1',
      messages: [{ role: 'user', content: 'hello' }],
      chain: ['openai-codex/gpt-5.5'],
      profiles: { 'openai-codex': ['openai-main', 'openai-spare'] },
      // the host looks the key up by profile id; the first one is rejected with the key echoed back
      call: async (req) => {
        const key = keys[req.profileId];
        if (req.profileId === 'openai-main') {
          throw { status: 401, headers: {}, body: { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } } };
        }
        return { content: `served with a key of ${key?.length} chars` };
      },
      store,
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    // the echoed error did reach the store (so the scan below looks where the key could be)
    const failed = (await store.getRun('keyrun'))?.attempts[0];
    expect(failed).toMatchObject({ profileId: 'openai-main', outcome: 'failed', reason: 'auth' });
    expect(failed?.message).toContain('Incorrect API key provided');
    const bytes = fileBytes(dbPath);
    expect(bytes.includes(Buffer.from('openai-main'))).toBe(true);
    expect(bytes.includes(Buffer.from(API_KEY.slice(0, 16)))).toBe(false);
    expect(bytes.includes(Buffer.from(API_KEY.slice(-16)))).toBe(false);
  });
});
