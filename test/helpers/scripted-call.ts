import type { CallFn, CallRequest } from '../../src/index.js';

/** An outcome of one scripted call: a reply, or something to throw. */
export type Outcome = { reply: string } | { throw: unknown } | { hang: true };

export const reply = (text: string): Outcome => ({ reply: text });
export const fail = (err: unknown): Outcome => ({ throw: err });
export const httpError = (status: number, body: unknown, headers: Record<string, string> = {}): Outcome => ({
  throw: { status, headers, body },
});

/**
 * A `call` that follows a script per "provider/model@profile" (or "provider/model", or
 * "provider"), most specific first; a script that runs out keeps its last outcome; no script
 * means a reply naming the candidate. Records every request it receives.
 */
export function scriptedCall(scripts: Record<string, Outcome[]> = {}) {
  const calls: CallRequest[] = [];
  const used = new Map<string, number>();
  const call: CallFn = async (req) => {
    calls.push(req);
    const keys = [`${req.provider}/${req.model}@${req.profileId}`, `${req.provider}/${req.model}`, req.provider];
    const key = keys.find((k) => scripts[k]);
    let outcome: Outcome = { reply: `reply from ${req.provider}/${req.model}` };
    if (key) {
      const script = scripts[key]!;
      const n = used.get(key) ?? 0;
      used.set(key, n + 1);
      outcome = script[Math.min(n, script.length - 1)]!;
    }
    if ('hang' in outcome) {
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }));
    }
    if ('throw' in outcome) throw outcome.throw;
    return { content: outcome.reply };
  };
  return { call, calls, served: () => calls.map((c) => `${c.provider}/${c.model}@${c.profileId}`) };
}
