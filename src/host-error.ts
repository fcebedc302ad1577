import { scrubSecrets } from './classify/scrub-secrets.js';
import type { Classification } from './classify/types.js';

const MAX_MESSAGE = 400;
const HOST_BUG = "a bug in the host's call(), not a provider failure";

/**
 * Thrown inside the wiring when `call` resolved with something that is neither
 * `{ content: string }` nor `{ messages }` the run can keep; `problem` says what is wrong with
 * the messages when it is them.
 */
export class WrongCallResult extends Error {
  readonly failure: Classification;
  constructor(result: unknown, problem?: string) {
    super('call() resolved with no reply the run can keep');
    this.failure = hostError(
      problem === undefined
        ? `call() resolved with ${describeResult(result)} instead of { content: string } or { messages }: ${HOST_BUG}`
        : `call() resolved with messages the run cannot keep: ${problem}: ${HOST_BUG}`,
    );
  }
}

function describeResult(result: unknown): string {
  if (result === null || result === undefined) return String(result);
  if (typeof result !== 'object') return `a ${typeof result}`;
  const keys = Object.keys(result);
  const content = (result as { content?: unknown }).content;
  // Key names and types only: values may hold the user's text or a credential.
  if ('content' in result) return `a \`content\` of type ${content === null ? 'null' : Array.isArray(content) ? 'array' : typeof content}`;
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

const hostError = (message: string): Classification => ({
  reason: 'host_error',
  scope: 'model',
  retryable: false,
  message: scrubSecrets(message).slice(0, MAX_MESSAGE),
});

/** The first stack frame, so the developer sees where their code broke. */
function topFrame(err: Error): string | undefined {
  const line = err.stack?.split('\n').find((l) => l.trimStart().startsWith('at '));
  return line?.trim().slice(3);
}

// Whatever `call` threw is read without trusting it: a Proxy whose traps throw included.
function isWrongCallResult(err: unknown): err is WrongCallResult {
  try {
    return err instanceof WrongCallResult;
  } catch {
    return false;
  }
}

/**
 * What a thrown `call` error means for the run. A TypeError or ReferenceError that the
 * classifier cannot read as a provider failure (no status, no code, reason `unknown`) comes from
 * the host's own code: a `host_error`, not an outage to retry. A `fetch failed` TypeError whose
 * cause carries ECONNREFUSED is read as `network` by the classifier and stays one.
 */
export function readCallError<C>(err: unknown, classify: (err: unknown, context: C) => Classification, context: C): Classification {
  if (isWrongCallResult(err)) return err.failure;
  // the classifier and its context, not a closure over them: one fewer allocation per failure
  const classified = classify(err, context);
  if (classified.reason !== 'unknown' || classified.status !== undefined || classified.code !== undefined) return classified;
  try {
    if (!(err instanceof Error) || (err.name !== 'TypeError' && err.name !== 'ReferenceError')) return classified;
    const frame = topFrame(err);
    return hostError(`call() threw ${err.name}: ${err.message}${frame ? ` (at ${frame})` : ''}: ${HOST_BUG}`);
  } catch {
    return classified;
  }
}
