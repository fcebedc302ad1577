import type { RunRecord } from '../../store/types.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output/text.js';
import { iso, span } from '../output/time.js';
import type { Program } from '../program.js';
import { runTimeline } from '../run-timeline.js';
import { positiveInteger } from './options.js';
import { attemptCounts, runRows, RUN_HEADERS, servedByText } from './run-table.js';

function runHeader(run: RunRecord): string[] {
  const outcome =
    run.status === 'succeeded'
      ? `served by ${servedByText(run)}`
      : run.errorCode
        ? `${run.errorCode}: ${run.errorMessage ?? ''}`.trim()
        : '';
  const took = run.finishedAt !== undefined ? `, finished ${iso(run.finishedAt)} (${span(run.finishedAt - run.startedAt)})` : '';
  return [
    `run ${run.runId} on session ${run.sessionId}: ${run.status}${outcome ? `, ${outcome}` : ''}`,
    `started ${iso(run.startedAt)}${took}, ${run.attempts.length} call(s), ${run.decisions.length} decision(s)`,
  ];
}

export function addRunCommands(program: Program, ctx: CliContext): void {
  program
    .command('runs')
    .description('list runs, newest first: status, served by, attempts, error code')
    .option('--session <sessionId>', 'only the runs of this session')
    .option('--failed', 'only runs that ended without a committed reply (failed, aborted, orphaned, abandoned)')
    .option('--limit <n>', 'at most this many', positiveInteger, 100)
    .action(async (opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      await ctx.withStore(globals.db, async (store) => {
        const runs = await store.listRuns({
          limit: opts.limit,
          ...(opts.session !== undefined ? { sessionId: opts.session } : {}),
          ...(opts.failed ? { failed: true } : {}),
        });
        const attempts = await attemptCounts(runs, (runId) => store.getRun(runId));
        if (globals.json) return ctx.json(runs.map((r) => ({ ...r, attemptCount: attempts.get(r.runId) ?? 0 })));
        ctx.lines(runs.length === 0 ? ['no runs'] : table(RUN_HEADERS, runRows(runs, attempts)));
      });
    });

  program
    .command('run')
    .description("one run: its calls and decisions as a timeline, like the demo's")
    .argument('<runId>', 'the run id')
    .action(async (runId, _opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      await ctx.withStore(globals.db, async (store) => {
        const run = await store.getRun(runId);
        if (!run) return ctx.fail(`No run ${JSON.stringify(runId)} in ${globals.db}`, EXIT.failed);
        if (globals.json) return ctx.json(run);
        ctx.lines([...runHeader(run), '', ...runTimeline(run).map((l) => `  ${l}`)]);
      });
    });
}
