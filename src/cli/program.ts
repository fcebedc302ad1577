import { Command, Option } from '@commander-js/extra-typings';
import type { CliContext } from './cli-context.js';
import { addCooldownCommands } from './commands/cooldowns.js';
import { addDemoCommand } from './commands/demo.js';
import { addDiagramCommand } from './commands/diagram.js';
import { addHealthCommand } from './commands/health.js';
import { addPruneCommand } from './commands/prune.js';
import { addRunCommands } from './commands/runs.js';
import { addSessionCommands } from './commands/sessions.js';
import { packageVersion } from './package-version.js';

export const DEFAULT_DB = './llm-failover.db';

function baseProgram() {
  return (
    new Command()
      .name('llm-failover')
      .description('See and act on an llm-failover store: sessions, runs, cooldowns, pruning. And the demo.')
      .version(packageVersion(), '-V, --version')
      .addOption(
        new Option('--db <location>', 'the store: a SQLite file (PostgreSQL URLs are not supported yet)').env('LLM_FAILOVER_DB').default(DEFAULT_DB),
      )
      .option('--json', 'print one JSON document for scripts instead of text')
      // usage errors throw instead of exiting, so main() gives every one exit code 2
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureHelp({ showGlobalOptions: true })
  );
}

/** The program with its global options (`--db`, `--json`), as every command sees it. */
export type Program = ReturnType<typeof baseProgram>;

export function createProgram(ctx: CliContext): Program {
  const program = baseProgram();
  program.configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  addSessionCommands(program, ctx);
  addRunCommands(program, ctx);
  addHealthCommand(program, ctx);
  addCooldownCommands(program, ctx);
  addPruneCommand(program, ctx);
  addDiagramCommand(program, ctx);
  addDemoCommand(program, ctx);
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 the command failed, 2 bad usage or a store that cannot be used.\nEvery command has --help; see docs/cli.md.',
  );
  return program;
}
