import { ConfigError } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import type { Program } from '../program.js';

export function addDemoCommand(program: Program, ctx: CliContext): void {
  program
    .command('demo')
    .description('run the quota incident twice against a local provider emulator and print every decision (npm start)')
    .addHelpText('after', '\nThe demo keeps its store in memory unless --db is given on the command line (never from LLM_FAILOVER_DB).')
    .action(async (_opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      if (globals.json) throw new ConfigError('--json', 'the demo prints a timeline, not JSON');
      // the demo writes runs and a cooldown: only into a store named on its own command line
      const location = cmd.getOptionValueSourceWithGlobals('db') === 'cli' ? globals.db : ':memory:';
      // the store before the demo's emulator: a bad --db ends here, with no server to keep the process alive
      await ctx.withStore(
        location,
        async (store) => {
          const { runDemo } = await import('../demo.js');
          ctx.setExitCode(await runDemo({ store, write: (line) => ctx.io.out(`${line}\n`) }));
        },
        { create: true },
      );
    });
}
