import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CooldownEntry, RunRecord, RunSummary, SessionDetail, SessionSummary } from '../../src/index.js';
import { openPostgresStore } from '../../src/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { dropSchemas, freshSchemaName, urlWithSchema } from '../postgres/schemas.js';
import { runBinary, runJson } from './run-binary.js';
import { DAY } from './seed-store.js';

// Every command of the built binary with `--db postgres://…?schema=…`: the demo writes the store
// over HTTP, as it does a SQLite file, and the read and maintenance commands work on it.
describePostgres('the CLI on a PostgreSQL store', (url) => {
  const schema = freshSchemaName('cli');
  const absent = freshSchemaName('cli_absent');
  const db = urlWithSchema(url, schema);

  beforeAll(async () => {
    const demo = await runBinary(['demo', '--db', db]);
    if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
    // an old finished run and an orphan for prune to delete, as a gateway leaves them
    const store = openPostgresStore({ connectionString: db });
    const old = Date.now() - 30 * DAY;
    const servedBy = { provider: 'openai', model: 'gpt-5.5', profileId: 'openai:main' };
    try {
      const { lease } = await store.openRun({ runId: 'old-ok', sessionId: 'ops-1', now: old, leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
      await store.commitRun(lease, { runId: 'old-ok', messages: [{ role: 'user', content: 'q' }], reply: { role: 'assistant', content: 'a' }, servedBy, attempts: [], now: old + 1 });
      await store.failRun(undefined, {
        runId: 'old-orphan',
        sessionId: 'ops-1',
        status: 'failed',
        errorCode: 'LEASE_LOST',
        errorMessage: 'lost',
        attempts: [],
        uncommitted: { messages: [], reply: { role: 'assistant', content: 'kept' }, servedBy },
        now: old + 2,
      });
    } finally {
      await store.close();
    }
  });
  afterAll(() => dropSchemas(url, [schema, absent]));

  const ok = (r: { code: number | null; killed: boolean; stderr: string }) => {
    expect(r.stderr).toBe('');
    expect([r.code, r.killed]).toEqual([0, false]);
  };

  it('sessions, session, runs and run read what the demo wrote', async () => {
    const sessions = await runJson<SessionSummary[]>(['sessions', '--db', db]);
    ok(sessions.result);
    expect(sessions.json.map((s) => s.sessionId).sort()).toEqual(['chat-42', 'chat-43', 'ops-1']);
    expect(sessions.json.find((s) => s.sessionId === 'chat-42')).toMatchObject({ turns: 4 });

    const detail = await runJson<SessionDetail>(['session', 'chat-42', '--db', db]);
    ok(detail.result);
    expect(detail.json.turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    const runs = await runJson<RunSummary[]>(['runs', '--session', 'chat-42', '--db', db]);
    ok(runs.result);
    expect(runs.json.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const run = await runJson<RunRecord>(['run', runs.json[1]!.runId, '--db', db]);
    ok(run.result);
    // the demo's first run met the exhausted quota before it was served
    expect(run.json.attempts.map((a) => a.outcome)).toContain('failed');
    const text = await runBinary(['run', runs.json[1]!.runId, '--db', db]);
    ok(text);
    expect(text.stdout).toMatch(/quota/);
  });

  it('health shows the cooldown the demo left, cooldowns clear deletes it', async () => {
    const health = await runJson<{ cooldowns: CooldownEntry[] }>(['health', '--db', db]);
    ok(health.result);
    expect(health.json.cooldowns.map((c) => [c.provider, c.reason])).toEqual([['openai-codex', 'quota_exhausted']]);
    ok(await runBinary(['cooldowns', 'clear', '--provider', 'openai-codex', '--db', db]));
    expect((await runJson<{ cooldowns: CooldownEntry[] }>(['health', '--db', db])).json.cooldowns).toEqual([]);
  });

  it('prune --before deletes the old run and the old orphan, and nothing recent', async () => {
    ok(await runBinary(['prune', '--before', '7d', '--db', db]));
    const runs = await runJson<RunSummary[]>(['runs', '--db', db]);
    expect(runs.json.map((r) => r.runId)).not.toContain('old-ok');
    expect(runs.json.map((r) => r.runId)).not.toContain('old-orphan');
    expect(runs.json.filter((r) => r.sessionId === 'chat-42')).toHaveLength(2);
  });

  it('a schema with no store: "No store in schema", exit 2, and nothing is created', async () => {
    const r = await runBinary(['sessions', '--db', urlWithSchema(url, absent)]);
    expect([r.code, r.killed, r.stdout]).toEqual([2, false, '']);
    expect(r.stderr).toMatch(new RegExp(`^llm-failover: No store in schema ${absent} at postgres://`));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SELECT to_regnamespace($1) AS s', [absent])).rows).toEqual([{ s: null }]);
    } finally {
      await client.end();
    }
  });

  it('an unreachable server: STORE_UNAVAILABLE after the wait, exit 1, no password in the message', async () => {
    const r = await runBinary(['sessions', '--db', 'postgres://app:s3cret-pw@127.0.0.1:1/test?schema=x']);
    expect([r.code, r.killed, r.stdout]).toEqual([1, false, '']);
    expect(r.stderr).toMatch(/^llm-failover: PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/test#x could not be reached/);
    expect(r.stderr).not.toContain('s3cret-pw');
  });
});
