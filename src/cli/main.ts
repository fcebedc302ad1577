#!/usr/bin/env node
import { runDemo } from './demo.js';

const USAGE = `usage: llm-failover demo [--db <path>]

  demo   run the quota incident twice and print every decision
         --db <path>  SQLite file to use (default: in memory)`;

async function main(argv: string[]): Promise<number> {
  const [command = 'demo', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'demo') {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let dbPath = ':memory:';
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--db' && rest[i + 1]) dbPath = rest[++i]!;
    else {
      console.error(`unknown option "${rest[i]}"\n\n${USAGE}`);
      return 2;
    }
  }
  return runDemo({ dbPath, write: (line) => console.log(line) });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`llm-failover: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
