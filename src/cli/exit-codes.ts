import { isLlmFailoverError } from '../errors.js';

/** The CLI's exit codes (docs/cli.md): scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: a run that failed, a session or run that is not there, a store busy past the wait. */
  failed: 1,
  /** Bad usage (unknown command or option, a bad value), or a store that cannot be used (missing, not a database, damaged, newer schema). */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const USAGE_CODES = new Set(['CONFIG_INVALID', 'STORE_SCHEMA_TOO_NEW', 'STORE_CORRUPT']);

/** The exit code of an error a command threw after its store was open. */
export function exitCodeOf(e: unknown): ExitCode {
  return isLlmFailoverError(e) && USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.failed;
}

/** The exit code of a store that could not be opened: unusable (2), unless it was only busy or its server unreachable (1). */
export function openFailureCodeOf(e: unknown): ExitCode {
  return isLlmFailoverError(e) && (e.code === 'STORE_BUSY' || e.code === 'STORE_CLOSED' || e.code === 'STORE_UNAVAILABLE') ? EXIT.failed : EXIT.usage;
}

/** One line for stderr: the error's own message (the library's messages name the store and never hold a key). */
export function errorLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `llm-failover: ${message.split('\n')[0]}`;
}
