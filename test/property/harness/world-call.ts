import type { SimulatedClock } from 'xstate';
import type { CallFn, CallRequest, Message } from '../../../src/types.js';
import { scriptKey, type Outcome, type World } from '../../arbitraries/world-types.js';

export interface ServedCall {
  provider: string;
  model: string;
  profileId: string;
  startedAt: number;
  /** The scripted outcome it was given (an aborted call never delivers it). */
  outcome: Outcome;
  /** Set when the call's signal aborted before it answered (the engine cut it, or the run stopped). */
  cutAt?: number;
  messages: readonly Message[];
}

/** Thrown for a scripted failure: the payload as a provider sends it, tagged with what the test says it means. */
export interface ScriptedFailure {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The world's provider: each (provider, model, profile) answers its script in order, after the
 * outcome's delay on the simulated clock; the call's signal cuts it (it then rejects as an
 * AbortError, as fetch does). `tags` maps each thrown payload to its outcome for the classifier.
 */
export function worldCall(world: World, clock: SimulatedClock) {
  const calls: ServedCall[] = [];
  const used = new Map<string, number>();
  const tags = new WeakMap<object, Extract<Outcome, { kind: 'fail' }>>();
  const call: CallFn = (req: CallRequest) => {
    const key = scriptKey(req.provider, req.model, req.profileId);
    const script = world.scripts[key];
    if (!script) throw new Error(`no script for ${key}: the engine called something outside the chain`);
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const outcome = script[Math.min(n, script.length - 1)]!;
    const served: ServedCall = { provider: req.provider, model: req.model, profileId: req.profileId, startedAt: clock.now(), outcome, messages: req.messages };
    calls.push(served);
    return new Promise((resolve, reject) => {
      let timer: number | undefined;
      const onAbort = () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        served.cutAt = clock.now();
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      };
      if (req.signal.aborted) return onAbort();
      req.signal.addEventListener('abort', onAbort, { once: true });
      if (outcome.kind === 'hang') return;
      timer = clock.setTimeout(() => {
        req.signal.removeEventListener('abort', onAbort);
        if (outcome.kind === 'reply') return resolve({ content: `reply from ${key} #${n + 1}` });
        const thrown: ScriptedFailure = { status: outcome.payload.status, headers: { ...outcome.payload.headers }, body: outcome.payload.body };
        tags.set(thrown, outcome);
        reject(thrown);
      }, outcome.delayMs);
    });
  };
  return { call, calls, tags };
}
