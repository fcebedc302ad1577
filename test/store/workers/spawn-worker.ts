import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerLine } from './worker-io.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Worker {
  child: ChildProcess;
  lines: WorkerLine[];
  stderr: string[];
  /** Resolves when a line matching `pred` arrives (or rejects if the worker exits first). */
  waitFor(pred: (l: WorkerLine) => boolean): Promise<WorkerLine>;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string>;
}

/** Starts a worker script of this folder in its own Node process (not a thread). */
export function spawnWorker(script: string, options: object): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script), JSON.stringify(options)], {
    // stdin carries commands to the workers that read them (flapping-runs.ts); the others ignore it
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: WorkerLine[] = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.trim()) lines.push(JSON.parse(text) as WorkerLine);
    }
    for (const l of listeners) l();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const waitFor = (pred: (l: WorkerLine) => boolean) =>
    new Promise<WorkerLine>((resolve, reject) => {
      const check = () => {
        const hit = lines.find(pred);
        if (hit) {
          listeners.delete(check);
          resolve(hit);
        }
      };
      listeners.add(check);
      check();
      void exited.then((how) => {
        listeners.delete(check);
        reject(new Error(`worker ${script} exited (${how}) before the awaited line; stderr: ${stderr.join('')}`));
      });
    });
  return { child, lines, stderr, waitFor, exited };
}
