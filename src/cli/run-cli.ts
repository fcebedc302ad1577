import { CommanderError } from '@commander-js/extra-typings';
import { CliContext, type CliIo } from './cli-context.js';
import { EXIT, exitCodeOf, type ExitCode } from './exit-codes.js';
import { createProgram } from './program.js';

/**
 * Runs one command line and returns its exit code: 0 ok, 1 the command failed, 2 bad usage or a
 * store that cannot be used. It never exits the process: everything a command opens is closed
 * before it returns, so the process ends by itself.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const ctx = new CliContext(io);
  try {
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
  } catch (e) {
    // commander has printed its own message (and the help) already; --help and --version are 0
    if (e instanceof CommanderError) ctx.setExitCode(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
    else ctx.fail(e, exitCodeOf(e));
  }
  return ctx.exitCode;
}
