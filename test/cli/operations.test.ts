import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainExplanation, CooldownEntry, RunRecord, RunSummary, SessionDetail, SessionSummary } from '../../src/index.js';
import { openSqliteStore } from '../../src/index.js';
import { runBinary, runJson } from './run-binary.js';
import { copyStore, SEEDED, seedStore, tempDir } from './seed-store.js';

// Every command of the built binary, as a child process over a real SQLite file written by the
// demo (over HTTP) and by the store API.
const tmp = tempDir();
let db: string;
let demoRuns: RunSummary[];

beforeAll(async () => {
  db = await seedStore(tmp.dir);
  demoRuns = (await runJson<RunSummary[]>(['runs', '--session', 'chat-42'], { env: { LLM_FAILOVER_DB: db } })).json;
});
afterAll(() => tmp.remove());

const ok = (r: { code: number | null; killed: boolean; stderr: string }) => {
  expect(r.killed).toBe(false);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
};

describe('sessions and session', () => {
  it('sessions --json lists every session with its turns and lease holder, most recent first', async () => {
    const { result, json } = await runJson<SessionSummary[]>(['sessions', '--db', db]);
    ok(result);
    expect(json.map((s) => s.sessionId).sort()).toEqual(['chat-42', 'chat-43', 'ops-1', 'ops-2']);
    expect(json.find((s) => s.sessionId === 'chat-42')).toMatchObject({ turns: 4 });
    expect(json.find((s) => s.sessionId === 'chat-42')).not.toHaveProperty('leaseOwner');
    const crashed = json.find((s) => s.sessionId === 'ops-2')!;
    expect(crashed).toMatchObject({ turns: 0, leaseOwner: 'crashed-run' });
    expect(crashed.leaseExpiresAt).toBeLessThan(Date.now());
  });

  it('sessions prints a table with the lease holder of a crashed run marked expired', async () => {
    const r = await runBinary(['sessions'], { env: { LLM_FAILOVER_DB: db } });
    ok(r);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+TURNS\s+LAST ACTIVITY\s+LEASE HOLDER$/);
    expect(lines.find((l) => l.startsWith('chat-42'))).toMatch(/^chat-42\s+4\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-$/);
    expect(lines.find((l) => l.startsWith('ops-2'))).toMatch(/crashed-run expired \d{4}-/);
  });

  it('session <id> shows its turns and runs; --json is the store API\'s SessionDetail', async () => {
    const { result, json } = await runJson<SessionDetail>(['session', 'chat-42', '--db', db]);
    ok(result);
    expect(json.session).toMatchObject({ sessionId: 'chat-42', turns: 4 });
    expect(json.turns.map((t) => [t.seq, t.role, t.content])).toEqual([
      [1, 'user', 'hello'],
      [2, 'assistant', '(deepseek-v4-pro) Hello! How can I help?'],
      [3, 'user', 'and again'],
      [4, 'assistant', '(deepseek-v4-pro) Hello! How can I help?'],
    ]);
    expect(json.runs.map((r) => r.runId)).toEqual(demoRuns.map((r) => r.runId));

    const text = await runBinary(['session', 'chat-42', '--db', db]);
    ok(text);
    expect(text.stdout).toContain('turns (4):');
    expect(text.stdout).toMatch(/ 3 {2}user {7}and again {2}\(run /);
    expect(text.stdout).toContain('runs, newest first (2):');
    expect(text.stdout).toMatch(/succeeded .* 2 +deepseek\/deepseek-v4-pro as deepseek:default/);
  });

  it('session of an unknown id is exit 1 with one line on stderr', async () => {
    const r = await runBinary(['session', 'nobody', '--db', db]);
    expect([r.code, r.killed, r.stdout]).toEqual([1, false, '']);
    expect(r.stderr).toBe(`llm-failover: No session "nobody" in ${db}\n`);
  });
});

describe('runs and run', () => {
  it('runs --json lists every run, newest first, with status, served by, error code and attempt count', async () => {
    const { result, json } = await runJson<(RunSummary & { attemptCount: number })[]>(['runs', '--db', db]);
    ok(result);
    const byId = new Map(json.map((r) => [r.runId, r]));
    // the demo's third run (a stalled stream) is on session chat-43
    const stallRun = json.find((r) => r.sessionId === 'chat-43')!;
    expect([...byId.keys()].sort()).toEqual([...demoRuns.map((r) => r.runId), stallRun.runId, ...SEEDED.old.runs, ...SEEDED.old.orphans, ...SEEDED.kept].sort());
    expect(stallRun).toMatchObject({ status: 'succeeded', servedBy: { provider: 'moonshot' }, attemptCount: 2 });
    expect(json.map((r) => r.startedAt)).toEqual(json.map((r) => r.startedAt).sort((a, b) => b - a));
    expect(byId.get('old-failed')).toMatchObject({ status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', attemptCount: 2 });
    expect(byId.get('old-orphan')).toMatchObject({ status: 'orphaned', attemptCount: 1 });
    expect(byId.get('crashed-run')).toMatchObject({ status: 'running', attemptCount: 0 });
    expect(byId.get(demoRuns.at(-1)!.runId)).toMatchObject({
      status: 'succeeded',
      servedBy: { provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'deepseek:default' },
      attemptCount: 2,
    });
  });

  it('runs --failed and --session narrow the list', async () => {
    const failed = await runJson<RunSummary[]>(['runs', '--failed', '--db', db]);
    ok(failed.result);
    expect(failed.json.map((r) => r.runId).sort()).toEqual(['old-failed', 'old-orphan', 'recent-failed']);
    const ops = await runJson<RunSummary[]>(['runs', '--session', 'ops-1', '--failed', '--limit', '1', '--db', db]);
    expect(ops.json.map((r) => r.runId)).toEqual(['recent-failed']);
  });

  it('runs prints one row per run', async () => {
    const r = await runBinary(['runs', '--db', db]);
    ok(r);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+SESSION\s+STATUS\s+STARTED\s+ATTEMPTS\s+SERVED BY\s+ERROR$/);
    expect(lines).toHaveLength(1 + 3 + 5);
    expect(lines.find((l) => l.startsWith('old-failed'))).toMatch(/ops-1\s+failed\s+\S+\s+2\s+-\s+FALLBACK_EXHAUSTED: every candidate failed$/);
  });

  it("run <id> prints the first demo run as the demo's timeline: the failed call, the skip, the escalation, the answer", async () => {
    const first = demoRuns.at(-1)!.runId;
    const r = await runBinary(['run', first, '--db', db]);
    ok(r);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`run ${first} on session chat-42: succeeded, served by deepseek/deepseek-v4-pro as deepseek:default`);
    const timeline = lines.slice(3).map((l) => l.replace(/^ {2}\+ *\d+ ms {2}/, ''));
    expect(timeline).toEqual([
      'starting on openai-codex/gpt-5.5 with codex:main',
      'call 1  openai-codex/gpt-5.5 as codex:main',
      '  ✗ 429 quota_exhausted [scope profile] The usage limit has been reached',
      expect.stringMatching(/^skipped openai-codex\/gpt-5\.4-mini without a call: profile codex:main cooling down \(quota_exhausted\) until \d{4}-/),
      'escalating from openai-codex/gpt-5.5 to deepseek/deepseek-v4-pro on deepseek:default after quota_exhausted',
      'call 2  deepseek/deepseek-v4-pro as deepseek:default',
      expect.stringMatching(/^ {2}✓ answered in \d+ ms$/),
      'appended 2 turn(s) to session chat-42',
      '✓ run served by deepseek/deepseek-v4-pro with 2 call(s)',
    ]);
  });

  it('run --json is the store API\'s RunRecord; an unknown run is exit 1', async () => {
    const { result, json } = await runJson<RunRecord>(['run', 'old-failed', '--db', db]);
    ok(result);
    expect(json).toMatchObject({ runId: 'old-failed', sessionId: 'ops-1', status: 'failed', errorCode: 'FALLBACK_EXHAUSTED' });
    expect(json.attempts.map((a) => [a.n, a.outcome, a.reason, a.status])).toEqual([
      [1, 'failed', 'overloaded', 529],
      [2, 'failed', 'overloaded', 529],
    ]);
    const text = await runBinary(['run', 'old-failed', '--db', db]);
    expect(text.stdout).toMatch(/call 2 {2}openai\/gpt-5\.5 as openai:main\n.*✗ 529 overloaded \[scope provider\] Overloaded\n.*✗ run failed after 2 call\(s\): FALLBACK_EXHAUSTED\n$/);
    const missing = await runBinary(['run', 'no-such-run', '--db', db]);
    expect([missing.code, missing.stderr]).toEqual([1, `llm-failover: No run "no-such-run" in ${db}\n`]);
  });
});

describe('health', () => {
  it('--json lists the cooldown the demo left: provider, profile, reason, until, failures', async () => {
    const { result, json } = await runJson<{ now: number; cooldowns: CooldownEntry[] }>(['health', '--db', db]);
    ok(result);
    expect(json.cooldowns).toEqual([{ provider: 'openai-codex', profileId: 'codex:main', reason: 'quota_exhausted', until: expect.any(Number), failures: 1 }]);
    expect(json.cooldowns[0]!.until).toBeGreaterThan(json.now);
    const text = await runBinary(['health', '--db', db]);
    expect(text.stdout).toMatch(/^openai-codex\s+codex:main\s+-\s+quota_exhausted\s+\d{4}-\S+ \(in \d+m \d+s\)\s+1$/m);
  });

  it('--chain explains, without calling anything, which candidates a run would skip and which it would call', async () => {
    const chain = 'openai-codex/gpt-5.5,openai-codex/gpt-5.4-mini,deepseek/deepseek-v4-pro,moonshot/kimi-k2.6';
    const { result, json } = await runJson<{ explain: ChainExplanation }>(['health', '--db', db, '--chain', chain, '--profiles', 'openai-codex=codex:main']);
    ok(result);
    expect(json.explain.outcome).toBe('call');
    expect(json.explain.candidates.map((c) => [c.model, c.verdict, c.profileId])).toEqual([
      ['gpt-5.5', 'skip', undefined],
      ['gpt-5.4-mini', 'skip', undefined],
      ['deepseek-v4-pro', 'call', 'deepseek:default'],
      ['kimi-k2.6', 'fallback', undefined],
    ]);
    const text = await runBinary(['health', '--db', db, '--chain', chain, '--profiles', 'openai-codex=codex:main']);
    expect(text.stdout).toContain('  skip openai-codex/gpt-5.4-mini without a call: profile codex:main cooling down (quota_exhausted) until');
    expect(text.stdout).toContain('  call deepseek/deepseek-v4-pro with deepseek:default\n');
  });

  it('exits 1 when a run on the chain would fail at once, and rotates past a cooling profile', async () => {
    const args = ['health', '--db', db, '--chain', 'openai-codex/gpt-5.5', '--when-all-cooling-down', 'fail'];
    const stuck = await runJson<{ explain: ChainExplanation }>([...args, '--profiles', 'openai-codex=codex:main']);
    expect([stuck.result.code, stuck.json.explain.outcome]).toEqual([1, 'fail']);
    const rotated = await runJson<{ explain: ChainExplanation }>([...args, '--profiles', 'openai-codex=codex:main,codex:alt']);
    expect(rotated.result.code).toBe(0);
    expect(rotated.json.explain.candidates[0]).toMatchObject({ verdict: 'call', profileId: 'codex:alt' });
  });

  it('a bad --chain or --profiles is a usage error naming it (exit 2)', async () => {
    const bad = await runBinary(['health', '--db', db, '--chain', 'no-slash']);
    expect([bad.code, bad.stderr]).toEqual([2, 'llm-failover: Invalid option `chain[0]`: must look like "provider/model", got "no-slash"\n']);
    const profiles = await runBinary(['health', '--db', db, '--chain', 'a/b', '--profiles', 'nobody']);
    expect(profiles.code).toBe(2);
    expect(profiles.stderr).toMatch(/^llm-failover: Invalid option `--profiles`/);
    const choice = await runBinary(['health', '--db', db, '--chain', 'a/b', '--when-all-cooling-down', 'sleep']);
    expect(choice.code).toBe(2);
  });
});

describe('cooldowns clear', () => {
  it('deletes the cooldowns matching the filters, and says how many', async () => {
    const copy = copyStore(db, join(tmp.dir, 'clear.db'));
    const other = await runJson<{ cleared: number }>(['cooldowns', 'clear', '--provider', 'deepseek', '--db', copy]);
    expect([other.result.code, other.json.cleared]).toEqual([0, 0]);
    const r = await runBinary(['cooldowns', 'clear', '--provider', 'openai-codex', '--profile', 'codex:main', '--db', copy]);
    ok(r);
    expect(r.stdout).toBe('cleared 1 cooldown(s) matching provider openai-codex, profile codex:main\n');
    expect((await runJson<{ cooldowns: unknown[] }>(['health', '--db', copy])).json.cooldowns).toEqual([]);
  });

  it('without a filter needs --all (exit 2 and nothing cleared), with --all clears everything', async () => {
    const copy = copyStore(db, join(tmp.dir, 'clear-all.db'));
    const refused = await runBinary(['cooldowns', 'clear', '--db', copy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^llm-failover: Invalid option `--all`: is needed to clear every cooldown/);
    expect((await runJson<{ cooldowns: unknown[] }>(['health', '--db', copy])).json.cooldowns).toHaveLength(1);
    const all = await runJson<{ cleared: number }>(['cooldowns', 'clear', '--all', '--db', copy]);
    expect(all.json.cleared).toBe(1);
  });
});

describe('prune', () => {
  it('deletes exactly the runs, attempts and orphans that finished before --before, and keeps turns', async () => {
    const copy = copyStore(db, join(tmp.dir, 'prune.db'));
    const before = (await runJson<RunSummary[]>(['runs', '--db', copy])).json.map((r) => r.runId);
    const { result, json } = await runJson<{ before: number; runs: number; attempts: number; orphans: number }>(['prune', '--before', '7d', '--db', copy]);
    ok(result);
    expect(json).toEqual({ before: expect.any(Number), runs: SEEDED.old.runs.length, attempts: SEEDED.old.attempts, orphans: SEEDED.old.orphans.length });
    const after = (await runJson<RunSummary[]>(['runs', '--db', copy])).json.map((r) => r.runId);
    const gone: string[] = [...SEEDED.old.runs, ...SEEDED.old.orphans];
    expect(after.sort()).toEqual(before.filter((id) => !gone.includes(id)).sort());
    const store = openSqliteStore({ path: copy });
    try {
      expect(await store.listOrphans()).toEqual([]);
      expect((await store.listTurns('ops-1')).map((t) => t.content)).toEqual(['old question', 'old answer']);
    } finally {
      await store.close();
    }
    const again = await runBinary(['prune', '--before', '7d', '--db', copy]);
    ok(again);
    expect(again.stdout).toMatch(/^pruned 0 run\(s\), 0 attempt\(s\) and 0 orphaned replies that finished before \d{4}-\S+Z\n$/);
  });

  it('takes an ISO date, and refuses a missing or unreadable --before (exit 2)', async () => {
    const copy = copyStore(db, join(tmp.dir, 'prune-date.db'));
    const iso = await runJson<{ runs: number; before: number }>(['prune', '--before', '2000-01-01', '--db', copy]);
    expect([iso.result.code, iso.json.runs, iso.json.before]).toEqual([0, 0, Date.UTC(2000, 0, 1)]);
    const missing = await runBinary(['prune', '--db', copy]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--before <when>' not specified/);
    const bad = await runBinary(['prune', '--before', 'last tuesday', '--db', copy]);
    expect([bad.code, bad.stderr]).toEqual([2, 'llm-failover: Invalid option `--before`: must be a duration like 7d, 12h or 30m, or an ISO date like 2025-01-31, got "last tuesday"\n']);
  });
});

describe('diagram', () => {
  it('prints the Mermaid diagram of the run machine, the one the docs embed', async () => {
    const r = await runBinary(['diagram']);
    ok(r);
    expect(r.stdout).toBe(readFileSync(new URL('../../docs/run-machine.mmd', import.meta.url), 'utf8'));
  });
});
