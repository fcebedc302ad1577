import { ConfigError } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import type { Program } from '../program.js';

export function addDiagramCommand(program: Program, ctx: CliContext): void {
  program
    .command('diagram')
    .description('print the run machine as a Mermaid state diagram (the one docs/architecture.md embeds); reads no store')
    .action(async (_opts, cmd) => {
      if (cmd.optsWithGlobals().json) throw new ConfigError('--json', 'diagram prints Mermaid text, not JSON');
      // loaded here: the other commands start without the machine
      const [{ runMachine }, { toMermaid }] = await Promise.all([import('../../../machines/run.machine.js'), import('../../diagram/machine-diagram.js')]);
      ctx.io.out(toMermaid(runMachine));
    });
}
