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
  | 'DEADLINE_EXCEEDED'
  | 'LEASE_LOST'
  | 'SESSION_BUSY'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_CORRUPT'
  | 'STORE_FAILED';

export class LlmFailoverError extends Error {
  readonly isLlmFailoverError = true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
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

/** Opening a store failed; `code` says why (newer schema, corrupt file, other). Nothing was written. */
export class StoreError extends LlmFailoverError {
  declare readonly code: 'STORE_SCHEMA_TOO_NEW' | 'STORE_CORRUPT' | 'STORE_FAILED';
  readonly path: string;
  constructor(code: 'STORE_SCHEMA_TOO_NEW' | 'STORE_CORRUPT' | 'STORE_FAILED', path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
  }
}
