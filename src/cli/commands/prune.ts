import type { CliContext } from '../cli-context.js';
import { iso } from '../output/time.js';
import { parseBefore } from '../parse-before.js';
import type { Program } from '../program.js';

export function addPruneCommand(program: Program, ctx: CliContext): void {
  program
    .command('prune')
    .description('delete finished runs, their attempts and orphaned replies that finished before a time; sessions and turns stay')
    .requiredOption('--before <when>', 'a duration back from now (7d, 12h, 30m, 45s) or an ISO date (2025-01-31) or date-time')
    .action(async (opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      const before = parseBefore(opts.before, Date.now());
      await ctx.withStore(globals.db, async (store) => {
        const pruned = await store.prune({ before });
        if (globals.json) return ctx.json({ before, ...pruned });
        ctx.lines([
          `pruned ${pruned.runs} run(s), ${pruned.attempts} attempt(s) and ${pruned.orphans} orphaned repl${pruned.orphans === 1 ? 'y' : 'ies'} that finished before ${iso(before)}`,
        ]);
      });
    });
}
