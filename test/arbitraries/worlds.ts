import { fc } from '@fast-check/vitest';
import { FAILURE_REASONS, type FailureReason } from '../../src/classify/types.js';
import type { Message } from '../../src/types.js';
import { chainArb } from './chains.js';
import { cooldownsArb } from './cooldowns.js';
import { withDescription } from './describe-world.js';
import { outcomeArb, STOPPING_REASONS } from './failures.js';
import { policyArb } from './policies.js';
import { scriptKey, type Outcome, type World } from './world-types.js';

/** A (model, profile) is called at most maxAttemptsPerCandidate (≤ 4) times, so 4 answers script it fully. */
export const SCRIPT_LENGTH = 4;

export interface WorldOptions {
  /** Failure reasons scripts draw from (default: every reason). */
  reasons?: readonly FailureReason[];
  /**
   * false: no outcome ends the run by itself: no bad_request or aborted, request-scoped failures
   * are retryable, and the policy escalates content-policy refusals and restarts interrupted streams.
   */
  stops?: boolean;
  replyWeight?: number;
  hangs?: boolean;
  /** Whether the host may abort the run (default: in about a fifth of the worlds). */
  abort?: boolean;
  /** Whether the store holds cooldowns before the run (default true). */
  cooldowns?: boolean;
  /** Whether the session already holds turns (default false: seeding costs a commit). */
  prior?: boolean;
  minDeadlineMs?: number;
}

const priorArb: fc.Arbitrary<Message[]> = fc
  .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })), { maxLength: 3 })
  .map((pairs) => pairs.flatMap(([q, a], i): Message[] => [
    { role: 'user', content: `earlier question ${i}: ${q}` },
    { role: 'assistant', content: `earlier answer ${i}: ${a}` },
  ]));

const messagesArb: fc.Arbitrary<Message[]> = fc
  .array(fc.string({ maxLength: 16 }), { minLength: 1, maxLength: 2 })
  .map((texts) => texts.map((t, i): Message => ({ role: 'user', content: `new ${i}: ${t}` })));

// Never on a tick where a timer or a call end can fall: integers are timer ticks, call ends
// carry multiples of 1/1024 ms.
const abortAtArb = fc.integer({ min: 0, max: 30_000 }).map((ms) => ms + 1 / 2048);

export function worldArb(o: WorldOptions = {}): fc.Arbitrary<World> {
  // Some worlds are kind (most calls answer), some hostile (few do): both short and long runs.
  const replyWeight = o.replyWeight !== undefined ? fc.constant(o.replyWeight) : fc.constantFrom(1, 4, 16);
  return fc.tuple(chainArb(), replyWeight).chain(([cw, weight]) => {
    const reasons = o.reasons ?? (o.stops === false ? FAILURE_REASONS.filter((r) => !STOPPING_REASONS.has(r)) : undefined);
    const outcome = outcomeArb({ replyWeight: weight, stops: o.stops ?? true, ...(reasons ? { reasons } : {}), ...(o.hangs !== undefined ? { hangs: o.hangs } : {}) });
    const keys = cw.chain.flatMap((c) => cw.profiles[c.provider]!.map((p) => scriptKey(c.provider, c.model, p)));
    return fc
      .record({
        scripts: fc.tuple(...keys.map(() => fc.array(outcome, { minLength: SCRIPT_LENGTH, maxLength: SCRIPT_LENGTH }))),
        policy: policyArb(o.minDeadlineMs !== undefined ? { minDeadlineMs: o.minDeadlineMs } : {}),
        cooldowns: o.cooldowns === false ? fc.constant([]) : cooldownsArb(cw),
        abortAtMs: o.abort === false ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: abortAtArb }),
        prior: o.prior ? priorArb : fc.constant([]),
        messages: messagesArb,
      })
      .map(({ scripts, policy, cooldowns, abortAtMs, prior, messages }): World => {
        const byKey: Record<string, Outcome[]> = {};
        keys.forEach((k, i) => (byKey[k] = scripts[i]!));
        return withDescription({
          chain: cw.chain,
          profiles: cw.profiles,
          scripts: byKey,
          policy: o.stops === false ? { ...policy, onContentPolicy: 'escalate', onInterrupted: 'restart' } : policy,
          cooldowns,
          ...(abortAtMs !== undefined ? { abortAtMs } : {}),
          prior,
          messages,
        });
      });
  });
}
