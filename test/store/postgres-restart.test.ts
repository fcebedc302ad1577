import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { runOnce } from '../postgres/run-once.js';
import { dropSchemas, freshSchemaName } from '../postgres/schemas.js';

// PostgreSQL stops while runs are between their provider's answer and their commit, and starts
// again once the run with the shorter bound has given up. Needs
// root and a local Debian cluster (pg_ctlcluster); it holds the server lock exclusively, so no
// other PostgreSQL suite runs meanwhile, and keeps the server down a second or two.
const run = promisify(execFile);
const PG_CTLCLUSTER = '/usr/bin/pg_ctlcluster';

/** Why this test cannot stop and start the server behind `url`, or undefined when it can. */
function cannotRestart(url: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync(PG_CTLCLUSTER)) return 'no pg_ctlcluster';
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname)) return 'the server is not on this machine';
  return undefined;
}

/** The local pg_ctlcluster cluster behind `url` ('15/main'). */
async function localCluster(url: string): Promise<{ version: string; name: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ cluster_name: string }>('SHOW cluster_name');
    const [version, name] = rows[0]!.cluster_name.split('/');
    if (!version || !name) throw new Error(`the server behind ${url} is not a pg_ctlcluster cluster (cluster_name ${JSON.stringify(rows[0]!.cluster_name)})`);
    return { version, name };
  } finally {
    await client.end();
  }
}

/** Resolves once the server refuses connections (the restart has stopped it). */
async function serverDown(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 200 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the server never went down');
}

describePostgres(
  'PostgreSQL restarts mid-run',
  (url) => {
    const schema = freshSchemaName('restart');
    afterAll(() => dropSchemas(url, [schema]));

    const why = cannotRestart(url);
    if (why) console.log(`PostgreSQL restart test skipped: ${why} (it runs as root against a local pg_ctlcluster cluster)`);
    it.skipIf(why !== undefined)('a run committing through the restart lands; one whose bound is shorter fails typed, its reply handed back; the pool recovers', async () => {
      const cluster = await localCluster(url);
      const patient = openPostgresStore({ connectionString: url, schema, busyWaitMs: 60_000 });
      const hasty = openPostgresStore({ connectionString: url, schema, busyWaitMs: 100 });
      await Promise.all([patient.ready, hasty.ready]);
      const ctl = (action: 'stop' | 'start') => run(PG_CTLCLUSTER, ['--skip-systemctl-redirect', cluster.version, cluster.name, action]);
      let stopped: Promise<unknown> | undefined;
      let started: Promise<unknown> | undefined;
      let down: Promise<void> | undefined;
      // both providers answer once the server is down: their commits meet the outage
      const answerAfterStop = (text: string) => async () => {
        stopped ??= ctl('stop');
        down ??= serverDown(url);
        await down;
        return { content: text };
      };
      try {
        const patientRun = runOnce(patient, 'patient-run', 'chat-p', answerAfterStop('kept across the restart'), { lockWaitMs: 60_000 });
        // the server stays down until the hasty run has given up, however fast this machine restarts
        const failed = await runOnce(hasty, 'hasty-run', 'chat-h', answerAfterStop('handed back'), { lockWaitMs: 200 });
        await stopped;
        started = ctl('start');
        const landed = await patientRun;
        await started;
        expect(landed).toMatchObject({ status: 'succeeded', text: 'kept across the restart' });
        expect(failed.status).toBe('failed');
        if (failed.status !== 'failed') return;
        expect(failed.error.code, failed.error.message).toBe('STORE_UNAVAILABLE');
        expect(failed.error.reply).toMatchObject({ reply: { role: 'assistant', content: 'handed back' } });
        // the pools recovered: both stores work on, and the committed reply is there once
        expect((await patient.listTurns('chat-p')).map((t) => t.content)).toEqual(['question of patient-run', 'kept across the restart']);
        expect(await runOnce(hasty, 'after-run', 'chat-a', async () => ({ content: 'fine again' }))).toMatchObject({ status: 'succeeded' });
      } finally {
        await stopped?.catch(() => undefined);
        // never leave the server down for the suites after this one
        if (stopped && !started) await ctl('start').catch(() => undefined);
        await started?.catch(() => undefined);
        await Promise.all([patient.close(), hasty.close()]);
      }
    });
  },
  { exclusive: true },
);
