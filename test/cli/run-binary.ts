import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary (package.json `bin`); `npm test` builds it first. */
export const BIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/**
 * Far longer than any command takes: a process still alive then is hung (an open handle), which
 * is the failure this bound catches. Tests assert that it was not needed, never a duration.
 */
const HANG_MS = 20_000;

export interface BinaryResult {
  code: number | null;
  /** Set when the process had to be killed: it hung. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `llm-failover <args>` as a child process of this Node. */
export function runBinary(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<BinaryResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does) first`);
  return new Promise((resolve, reject) => {
    // the store is what each test names, never one from the environment the tests run in
    const env = { ...process.env };
    delete env.LLM_FAILOVER_DB;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

/** Runs with `--json` and parses stdout (the test fails on output that is not one JSON document). */
export async function runJson<T = unknown>(args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<{ result: BinaryResult; json: T }> {
  const result = await runBinary(['--json', ...args], options);
  return { result, json: JSON.parse(result.stdout) as T };
}
