import type { Message, ServedBy } from './types.js';

/**
 * Every error this library throws or returns about itself extends {@link LlmFailoverError} and carries a
 * stable `code`, so hosts can branch on `err.code` even across duplicate package copies
 * (where `instanceof` fails), via {@link isLlmFailoverError}.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'FALLBACK_EXHAUSTED'
  | 'REQUEST_REJECTED'
  | 'RUN_ABORTED'
  | 'TOOL_ABORTED'
  | 'DEADLINE_EXCEEDED'
  | 'LEASE_LOST'
  | 'SESSION_BUSY'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_CORRUPT'
  | 'STORE_BUSY'
  | 'STORE_CLOSED'
  | 'STORE_UNAVAILABLE'
  | 'STORE_FAILED';

/**
 * A reply a provider returned that did not reach the session because its commit failed (the
 * lease was lost, the store was closed, busy past the wait, or failing). Set as `reply` on the
 * error of such a failed run, so the host always gets what the provider answered.
 */
export interface UncommittedReply {
  /**
   * What would have been appended before `reply`: the run's new message(s), then, for an agent
   * run, what its earlier steps produced (assistant messages and tool results).
   */
  messages: Message[];
  /** The last message the run produced: the reply, or the last step's answer or tool results. */
  reply: Message;
  servedBy: ServedBy;
  /**
   * `'orphan'`: also kept on the run's row in the store (`listOrphans()`); `'output'`: only here,
   * the store could not keep it (it was closed, full or unreachable).
   */
  keptIn: 'orphan' | 'output';
}

export class LlmFailoverError extends Error {
  readonly isLlmFailoverError = true;
  readonly code: ErrorCode;
  /** Only on the error of a failed run whose provider had answered: the reply that is not in the session. */
  reply?: UncommittedReply;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Makes the error a failed run ends with without stack frames: its frames would only show the
 * library's own steps and XState's internals (the transition that settled the run), never the
 * host's code, and capturing them cost about 20 µs per failed run, more than the rest of its
 * error handling. The message says what happened; `stack` is the name and the message.
 */
export function withoutFrames<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const isLlmFailoverError = (e: unknown): e is LlmFailoverError =>
  typeof e === 'object' && e !== null && (e as { isLlmFailoverError?: unknown }).isLlmFailoverError === true;

/** Bad options: `field` is the dotted path of the offending option, e.g. `chain[2]`. */
export class ConfigError extends LlmFailoverError {
  declare readonly code: 'CONFIG_INVALID';
  readonly field: string;
  constructor(field: string, problem: string) {
    super('CONFIG_INVALID', `Invalid option \`${field}\`: ${problem}`);
    this.field = field;
  }
}

/** A run whose session lease was taken over by another run (it hung past the lease expiry). */
export class LeaseLostError extends LlmFailoverError {
  declare readonly code: 'LEASE_LOST';
  readonly sessionId: string;
  readonly runId: string;
  constructor(sessionId: string, runId: string, detail = 'its lease was taken over or expired') {
    super('LEASE_LOST', `Run ${runId} lost the lease on session ${sessionId}: ${detail}`);
    this.sessionId = sessionId;
    this.runId = runId;
  }
}

/** The session stayed leased by another run for longer than `lockWaitMs`. */
export class SessionBusyError extends LlmFailoverError {
  declare readonly code: 'SESSION_BUSY';
  readonly sessionId: string;
  readonly waitedMs: number;
  constructor(sessionId: string, waitedMs: number) {
    super('SESSION_BUSY', `Session ${sessionId} is busy: another run held its lease for ${waitedMs} ms`);
    this.sessionId = sessionId;
    this.waitedMs = waitedMs;
  }
}

export type StoreErrorCode = 'STORE_SCHEMA_TOO_NEW' | 'STORE_CORRUPT' | 'STORE_BUSY' | 'STORE_CLOSED' | 'STORE_UNAVAILABLE' | 'STORE_FAILED';

/**
 * The session store failed; `code` says why: a newer schema, a corrupt file, a database another
 * connection kept locked past the wait (`STORE_BUSY`), a closed store, a database server that
 * could not be reached or dropped the connection past the wait (`STORE_UNAVAILABLE`), or anything else
 * (`STORE_FAILED`, also every error a custom store throws, kept as `cause`).
 */
export class StoreError extends LlmFailoverError {
  declare readonly code: StoreErrorCode;
  /** Where the store lives (a file path; for a custom store, its `path` or `'custom store'`). */
  readonly path: string;
  constructor(code: StoreErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
  }
}

/**
 * Thrown by a tool's `execute` to end the run instead of giving the model an error result (any
 * other throw is a result the model sees). The run fails with this error; what its earlier
 * steps produced is handed back as `error.reply` (and kept as an orphan), not lost.
 *
 * @example
 * execute: async ({ amount }) => {
 *   if (amount > limit) throw new ToolAbortError('transfer', 'the amount needs a human approval');
 *   return transfer(amount);
 * }
 */
export class ToolAbortError extends LlmFailoverError {
  declare readonly code: 'TOOL_ABORTED';
  readonly toolName: string;
  /** Set by the run: the call that aborted. */
  toolCallId?: string;
  constructor(toolName: string, reason: string, options?: { cause?: unknown }) {
    super('TOOL_ABORTED', `Tool ${toolName} aborted the run: ${reason}`, options);
    this.toolName = toolName;
  }
}
