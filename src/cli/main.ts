#!/usr/bin/env node
// The `llm-failover` binary (package.json `bin`). `npm start` runs its demo from source.
import { runCli } from './run-cli.js';

// `llm-failover runs | head` closes the pipe early: the reader's choice, not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`llm-failover: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
