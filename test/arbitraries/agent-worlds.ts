import { fc } from '@fast-check/vitest';
import type { Classification } from '../../src/classify/types.js';

/** How one call of a step fails before the step is served. */
export type StepFailure = { kind: 'fail'; failure: Classification } | { kind: 'hang' };

/** What a step's serving call answers: tool calls (each of one of the world's tools), or the final text. */
export type StepAnswer = { kind: 'tools'; calls: { tool: AgentToolKind; arg: number }[] } | { kind: 'text' };

/**
 * The world's tools: `echo` returns its input, `flaky` throws (a result the model sees),
 * `client` has no execute (left to the host), `stop` throws a ToolAbortError (ends the run).
 */
export type AgentToolKind = 'echo' | 'flaky' | 'client' | 'stop';

export interface AgentStepScript {
  /** The calls of this step that fail, in order, before the next one serves it. */
  failures: StepFailure[];
  answer: StepAnswer;
}

export interface AgentWorld {
  /** Candidates `p<i>/m`, each with its profiles. */
  chain: { provider: string; profiles: string[] }[];
  steps: AgentStepScript[];
  maxSteps: number;
  maxAttemptsPerCandidate: number;
  /** Turns of the session before the run (text). */
  prior: number;
}

const failureArb: fc.Arbitrary<StepFailure> = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom<Classification>(
    { reason: 'server_error', scope: 'model', retryable: true, message: 'server error' },
    { reason: 'rate_limit', scope: 'profile', retryable: true, retryAfterMs: 50, message: 'rate limited' },
    { reason: 'quota_exhausted', scope: 'profile', retryable: false, message: 'quota' },
    { reason: 'overloaded', scope: 'provider', retryable: true, message: 'overloaded' },
    { reason: 'model_not_found', scope: 'model', retryable: false, message: 'no such model' },
  ).map((failure) => ({ kind: 'fail' as const, failure })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
  // ends the run at once: rare, or few runs would reach a later step
  { weight: 1, arbitrary: fc.constant({ kind: 'fail' as const, failure: { reason: 'bad_request', scope: 'request', retryable: false, message: 'bad request' } as Classification }) },
);

/** Mostly healthy calls: a step fails over now and then, as in a real tool loop. */
const stepFailuresArb = fc.oneof({ weight: 3, arbitrary: fc.constant<StepFailure[]>([]) }, { weight: 4, arbitrary: fc.array(failureArb, { minLength: 1, maxLength: 2 }) });

const toolArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant<AgentToolKind>('echo') },
  { weight: 3, arbitrary: fc.constant<AgentToolKind>('flaky') },
  { weight: 1, arbitrary: fc.constant<AgentToolKind>('client') },
  { weight: 1, arbitrary: fc.constant<AgentToolKind>('stop') },
);

const answerArb: fc.Arbitrary<StepAnswer> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.record({ tool: toolArb, arg: fc.nat(99) }), { minLength: 1, maxLength: 3 }).map((calls) => ({ kind: 'tools' as const, calls })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'text' as const }) },
);

/** Agent runs: 1–4 scripted steps with failures before each, over a chain of 1–3 providers. */
export const agentWorldArb: fc.Arbitrary<AgentWorld> = fc.record({
  chain: fc
    .oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.integer({ min: 2, max: 3 }) })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => fc.integer({ min: 1, max: 2 }).map((k) => ({ provider: `p${i}`, profiles: Array.from({ length: k }, (_, j) => `p${i}:k${j}`) }))))),
  steps: fc.array(fc.record({ failures: stepFailuresArb, answer: answerArb }), { minLength: 1, maxLength: 4 }),
  maxSteps: fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 5, arbitrary: fc.integer({ min: 2, max: 5 }) }),
  maxAttemptsPerCandidate: fc.integer({ min: 1, max: 2 }),
  prior: fc.integer({ min: 0, max: 3 }),
});

export function describeAgentWorld(w: AgentWorld): string {
  const steps = w.steps.map((s, i) => {
    const fails = s.failures.map((f) => (f.kind === 'hang' ? 'hang' : `${f.failure.reason}/${f.failure.scope}`)).join(', ');
    const answer = s.answer.kind === 'text' ? 'text' : `tools(${s.answer.calls.map((c) => `${c.tool}#${c.arg}`).join(', ')})`;
    return `  step ${i + 1}: ${fails ? `${fails} then ` : ''}${answer}`;
  });
  return [
    `chain: ${w.chain.map((c) => `${c.provider}[${c.profiles.join(' ')}]`).join(' → ')}`,
    `maxSteps ${w.maxSteps}, maxAttemptsPerCandidate ${w.maxAttemptsPerCandidate}, prior turns ${w.prior}`,
    ...steps,
  ].join('\n');
}
