import { ConfigError } from '../../errors.js';
import type { CooldownMatch } from '../../store/types.js';
import type { CliContext } from '../cli-context.js';
import type { Program } from '../program.js';

function matchText(m: CooldownMatch): string {
  const parts = [m.provider && `provider ${m.provider}`, m.profileId && `profile ${m.profileId}`, m.model && `model ${m.model}`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'everything';
}

export function addCooldownCommands(program: Program, ctx: CliContext): void {
  const cooldowns = program.command('cooldowns').description('act on the cooldowns runs share');
  cooldowns
    .command('clear')
    .description('delete cooldowns (after a top-up or a key swap): those matching every filter given')
    .option('--provider <provider>', 'only cooldowns of this provider')
    .option('--profile <profileId>', 'only cooldowns of this auth profile')
    .option('--model <model>', 'only cooldowns of this model')
    .option('--all', 'every cooldown (needed when no filter is given)')
    .action(async (opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      const match: CooldownMatch = {
        ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
        ...(opts.profile !== undefined ? { profileId: opts.profile } : {}),
        ...(opts.model !== undefined ? { model: opts.model } : {}),
      };
      const filtered = Object.keys(match).length > 0;
      if (filtered === Boolean(opts.all)) {
        throw new ConfigError('--all', filtered ? 'cannot be combined with a filter' : 'is needed to clear every cooldown (or give --provider, --profile or --model)');
      }
      await ctx.withStore(globals.db, async (store) => {
        const cleared = await store.clearCooldownsMatching(match);
        if (globals.json) return ctx.json({ cleared, match });
        ctx.lines([`cleared ${cleared} cooldown(s) matching ${matchText(match)}`]);
      });
    });
}
