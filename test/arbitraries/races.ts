import { fc } from '@fast-check/vitest';
import { resolvePolicy, type RunPolicy } from '../../src/policy/run-policy.js';
import type { Message } from '../../src/types.js';
import { failureArb } from './failures.js';
import { scriptKey, type Payload, type Pinned } from './world-types.js';

/** One answer in a race: no delay of its own; the scheduler decides when it arrives. */
export type RaceOutcome = { kind: 'reply' } | { kind: 'fail'; payload: Payload; pinned: Pinned };

export interface RaceRun {
  runId: string;
  messages: Message[];
  scripts: Record<string, RaceOutcome[]>;
  /** The host aborts this run at a moment the scheduler picks. */
  abort: boolean;
}

/** Two or three runs of one session on one store, each with its own provider script. */
export interface Race {
  chain: string[];
  profiles: Record<string, string[]>;
  policy: Readonly<RunPolicy>;
  prior: Message[];
  runs: RaceRun[];
}

const CHAIN = ['a/m1', 'b/m1', 'a/m2'];
const PROFILES = { a: ['a:1', 'a:2'], b: ['b:1'] };
const KEYS = [scriptKey('a', 'm1', 'a:1'), scriptKey('a', 'm1', 'a:2'), scriptKey('b', 'm1', 'b:1'), scriptKey('a', 'm2', 'a:1'), scriptKey('a', 'm2', 'a:2')];

const outcome: fc.Arbitrary<RaceOutcome> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<RaceOutcome>({ kind: 'reply' }) },
  {
    weight: 3,
    arbitrary: failureArb(['quota_exhausted', 'overloaded', 'server_error', 'rate_limit', 'bad_request']).map(
      ({ payload, pinned }): RaceOutcome => ({ kind: 'fail', payload, pinned }),
    ),
  },
);

const runArb = (i: number): fc.Arbitrary<RaceRun> =>
  fc.record({
    scripts: fc.tuple(...KEYS.map(() => fc.array(outcome, { minLength: 3, maxLength: 3 }))),
    abort: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    text: fc.string({ maxLength: 8 }),
  }).map(({ scripts, abort, text }) => ({
    runId: `run-${i + 1}`,
    messages: [{ role: 'user', content: `question of run ${i + 1}: ${text}` }],
    scripts: Object.fromEntries(KEYS.map((k, j) => [k, scripts[j]!])),
    abort,
  }));

export function raceArb(): fc.Arbitrary<Race> {
  return fc.record({
    count: fc.integer({ min: 2, max: 3 }),
    prior: fc.boolean(),
    backoffBaseMs: fc.integer({ min: 0, max: 500 }),
  }).chain(({ count, prior, backoffBaseMs }) =>
    fc.tuple(...Array.from({ length: count }, (_, i) => runArb(i))).map((runs) => ({
      chain: CHAIN,
      profiles: PROFILES,
      // short waits retry, long ones move on: both happen while other runs wait for the session
      policy: resolvePolicy({ maxAttemptsPerCandidate: 2, maxRetryWaitMs: 1_000, backoffBaseMs }),
      prior: prior ? [{ role: 'user', content: 'earlier question' }, { role: 'assistant', content: 'earlier answer' }] : [],
      runs,
    })),
  );
}
