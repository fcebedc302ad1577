import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBinary } from './run-binary.js';

const COMMANDS = ['sessions', 'session', 'runs', 'run', 'health', 'cooldowns', 'prune', 'diagram', 'demo'];

describe('usage', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runBinary(['--version']);
    expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it('--help lists every command and the exit codes', async () => {
    const r = await runBinary(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 the command failed, 2 bad usage or a store that cannot be used.');
  });

  it('every command has its own --help, with the global options', async () => {
    const own: Record<string, string> = { runs: '--failed', health: '--chain <candidates>', prune: '--before <when>', sessions: '--limit <n>' };
    for (const c of [...COMMANDS, 'cooldowns clear']) {
      const r = await runBinary([...c.split(' '), '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`^Usage: llm-failover ${c}\\b`));
      expect(r.stdout, c).toContain('--db <location>');
      if (own[c]) expect(r.stdout, c).toContain(own[c]);
    }
    expect((await runBinary(['cooldowns', 'clear', '--help'])).stdout).toContain('--profile <profileId>');
  });

  it('an unknown command, an unknown option, a missing argument, a bad number or no command at all: exit 2', async () => {
    for (const args of [['nosuch'], ['runs', '--bogus'], ['run'], ['runs', '--limit', 'ten'], ['runs', '--limit', '0'], [], ['cooldowns']]) {
      const r = await runBinary(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout === '' || args.length <= 1, args.join(' ')).toBe(true);
    }
    const unknown = await runBinary(['runs', '--bogus']);
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n(add --help for usage)\n");
  });

  it('--json on a command that prints no listing is a usage error', async () => {
    for (const c of ['diagram', 'demo']) {
      const r = await runBinary(['--json', c]);
      expect(r.code, c).toBe(2);
      expect(r.stderr, c).toMatch(/^llm-failover: Invalid option `--json`/);
    }
  });
});
