import { summarizeMessage } from '../../message-summary.js';
import type { SessionSummary } from '../../store/types.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { brief, table } from '../output/text.js';
import { iso } from '../output/time.js';
import type { Program } from '../program.js';
import { positiveInteger } from './options.js';
import { attemptCounts, runRows, RUN_HEADERS } from './run-table.js';

function leaseText(s: SessionSummary, now: number): string {
  if (s.leaseOwner === undefined) return '-';
  if (s.leaseExpiresAt === undefined) return s.leaseOwner;
  return `${s.leaseOwner} ${s.leaseExpiresAt > now ? 'until' : 'expired'} ${iso(s.leaseExpiresAt)}`;
}

function sessionTable(sessions: readonly SessionSummary[], now: number): string[] {
  return table(
    ['SESSION', 'TURNS', 'LAST ACTIVITY', 'LEASE HOLDER'],
    sessions.map((s) => [s.sessionId, String(s.turns), iso(s.lastActivityAt), leaseText(s, now)]),
  );
}

export function addSessionCommands(program: Program, ctx: CliContext): void {
  program
    .command('sessions')
    .description('list sessions, most recently active first: turn counts and lease holders')
    .option('--limit <n>', 'at most this many', positiveInteger, 100)
    .action(async (opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      await ctx.withStore(globals.db, async (store) => {
        const sessions = await store.listSessions({ limit: opts.limit });
        if (globals.json) return ctx.json(sessions);
        ctx.lines(sessions.length === 0 ? [`no sessions in ${globals.db}`] : sessionTable(sessions, Date.now()));
      });
    });

  program
    .command('session')
    .description('one session: its turns and its runs')
    .argument('<sessionId>', 'the session id')
    .action(async (sessionId, _opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      await ctx.withStore(globals.db, async (store) => {
        const detail = await store.getSession(sessionId);
        if (!detail) return ctx.fail(`No session ${JSON.stringify(sessionId)} in ${globals.db}`, EXIT.failed);
        if (globals.json) return ctx.json(detail);
        const attempts = await attemptCounts(detail.runs, (runId) => store.getRun(runId));
        ctx.lines([
          ...sessionTable([detail.session], Date.now()),
          '',
          `turns (${detail.turns.length}):`,
          ...detail.turns.map((t) => `  ${String(t.seq).padStart(4)}  ${t.role.padEnd(9)}  ${brief(summarizeMessage(t), 100)}  (run ${t.runId})`),
          '',
          `runs, newest first (${detail.runs.length}):`,
          ...table(RUN_HEADERS, runRows(detail.runs, attempts)).map((l) => `  ${l}`),
        ]);
      });
    });
}
