import { Option } from '@commander-js/extra-typings';
import { parseChain } from '../../config/validate-run-options.js';
import { ConfigError } from '../../errors.js';
import { explainChain } from '../../explain/index.js';
import type { CooldownEntry } from '../../types.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output/text.js';
import { iso, isoFrom } from '../output/time.js';
import type { Program } from '../program.js';
import { collect } from './options.js';

/** `provider=id1,id2`, several per value with `;` or several `--profiles`. */
export function parseProfiles(specs: readonly string[]): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of specs.flatMap((s) => s.split(';'))) {
    if (spec.trim() === '') continue;
    const eq = spec.indexOf('=');
    const provider = spec.slice(0, eq).trim();
    if (eq <= 0 || provider === '') throw new ConfigError('--profiles', `must look like provider=id1,id2, got ${JSON.stringify(spec.slice(0, 60))}`);
    if (out.has(provider)) throw new ConfigError('--profiles', `names provider ${provider} twice`);
    out.set(provider, spec.slice(eq + 1).split(',').map((id) => id.trim()));
  }
  // own properties whatever the name ("constructor", "__proto__")
  return Object.fromEntries(out);
}

function cooldownTable(cooldowns: readonly CooldownEntry[], now: number): string[] {
  return table(
    ['PROVIDER', 'PROFILE', 'MODEL', 'REASON', 'UNTIL', 'FAILURES'],
    cooldowns.map((c) => [c.provider, c.profileId ?? '-', c.model ?? '-', c.reason, isoFrom(c.until, now), String(c.failures)]),
  );
}

export function addHealthCommand(program: Program, ctx: CliContext): void {
  program
    .command('health')
    .description('every cooldown in force; with --chain, what a run would call now and what it would skip, without calling anything')
    .option('--chain <candidates>', 'the chain to explain: provider/model entries, comma-separated, in order')
    .option('--profiles <provider=ids>', 'auth profile ids of a provider, comma-separated (repeat, or separate providers with ;)', collect, [] as string[])
    .addOption(new Option('--when-all-cooling-down <choice>', "the run's policy when every candidate is cooling down").choices(['probe', 'fail'] as const))
    .addHelpText('after', '\nExits 1 when a run on --chain would fail at once without calling anything.')
    .action(async (opts, cmd) => {
      const globals = cmd.optsWithGlobals();
      // options are checked before the store is opened: a typo is a usage error whatever the store
      if (opts.chain === undefined && (opts.profiles.length > 0 || opts.whenAllCoolingDown)) {
        throw new ConfigError(opts.profiles.length > 0 ? '--profiles' : '--when-all-cooling-down', 'needs --chain');
      }
      const chain = opts.chain?.split(',').map((c) => c.trim());
      const profiles = parseProfiles(opts.profiles);
      if (chain) parseChain(chain, profiles);
      await ctx.withStore(globals.db, async (store) => {
        const now = Date.now();
        const cooldowns = await store.listCooldowns(now);
        const explained = chain
          ? await explainChain({ store, chain, profiles, now, ...(opts.whenAllCoolingDown ? { policy: { whenAllCoolingDown: opts.whenAllCoolingDown } } : {}) })
          : undefined;
        if (explained?.outcome === 'fail') ctx.setExitCode(EXIT.failed);
        if (globals.json) return ctx.json({ now, cooldowns, ...(explained ? { explain: explained } : {}) });
        const lines =
          cooldowns.length === 0
            ? [`no cooldowns in force at ${iso(now)}`]
            : [`cooldowns in force at ${iso(now)} (${cooldowns.length}):`, ...cooldownTable(cooldowns, now)];
        if (explained) lines.push('', `a run on ${chain!.join(' → ')} starting now would:`, ...explained.candidates.map((c) => `  ${c.detail}`), explained.detail);
        ctx.lines(lines);
      });
    });
}
