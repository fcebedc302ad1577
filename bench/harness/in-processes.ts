import { spawn } from 'node:child_process';
import { mergeCaseOutcomes } from './merge-processes.js';
import type { BenchOptions } from './options.js';
import type { CaseOutcome } from './run-case.js';

/** The arguments that make a child measure what these options ask, in itself, as JSON. */
export function childArgs(o: BenchOptions): string[] {
  return [
    ...(o.quick ? ['--quick'] : []),
    ...o.cases.flatMap((c) => ['--case', c]),
    ...(o.profile ? ['--profile'] : []),
    ...(o.cpuTime ? ['--cpu-time'] : []),
    '--rounds',
    String(o.rounds),
    '--json',
  ];
}

/** One child process of this script measuring the cases; its progress goes to our stderr. */
function measureInChild(script: string, args: readonly string[]): Promise<CaseOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // 1 is a missed target (not asked of the child), 2 a case that failed to run
      if (code !== 0) return reject(new Error(`a measuring process exited with ${code}`));
      try {
        resolve((JSON.parse(out) as { outcomes: CaseOutcome[] }).outcomes);
      } catch (e) {
        reject(new Error(`a measuring process printed no results: ${(e as Error).message}`));
      }
    });
  });
}

/**
 * Measures the selected cases in `o.processes` fresh processes, one after another (never at
 * once: they would share the cores), and merges each case's outcomes into one.
 */
export async function measureInProcesses(script: string, o: BenchOptions, caseNames: readonly string[]): Promise<CaseOutcome[]> {
  const perProcess: CaseOutcome[][] = [];
  for (let p = 0; p < o.processes; p++) {
    console.error(`process ${p + 1} of ${o.processes}:`);
    perProcess.push(await measureInChild(script, childArgs(o)));
  }
  return caseNames.map((name) => mergeCaseOutcomes(perProcess.map((outcomes) => {
    const found = outcomes.find((x) => x.name === name);
    if (!found) throw new Error(`a measuring process did not measure ${name}`);
    return found;
  })));
}
