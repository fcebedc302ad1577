import type { CallFn, CallRequest } from '../../src/index.js';
import type { Gate } from '../harness/gate.js';

/** What a provider does in a case: answer, or throw this error (an HTTP error as a client throws it). */
export type Answer = (req: CallRequest) => 'ok' | object;

/** The reply every answering call gives. */
export const REPLY = 'reply';

/**
 * The host's `call` of a case: answers as scripted, counts every call, and, while the gate is
 * closed, holds the run's last call (`attempt === lastCall`) there before answering.
 */
export function scriptedCall(answer: Answer, lastCall: number, gate: Gate): { call: CallFn; calls: () => number } {
  let calls = 0;
  const call: CallFn = async (req) => {
    calls++;
    if (req.attempt === lastCall && gate.closed) await gate.pass();
    const a = answer(req);
    if (a === 'ok') return { content: REPLY };
    throw a;
  };
  return { call, calls: () => calls };
}

/** Real provider payloads (the incident of the README and an Anthropic overload). */
export const FAILURES = {
  quotaSpent: Object.freeze({
    status: 429,
    headers: {},
    body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } },
  }),
  overloaded: Object.freeze({
    status: 529,
    headers: {},
    body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
  }),
} as const;
