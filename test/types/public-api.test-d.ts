// Type tests of what a host writes against the public entry. Checked by `tsc --noEmit -p .` and,
// in `npm test`, by test/types/type-check.test.ts: a `@ts-expect-error` that stops erroring, or an
// expectTypeOf that stops holding, fails the suite.
import { expectTypeOf } from 'vitest';
import { toPromise, waitFor } from 'xstate';
import {
  createRunActor,
  type AssistantPart,
  type CandidateReport,
  type FailedRunOutput,
  type FailureReason,
  type Message,
  type RunActor,
  type RunActorOptions,
  type RunCommand,
  type RunError,
  type RunOutput,
  type SucceededRunOutput,
} from '../../src/index.js';

declare const call: RunActorOptions['call'];

// --- readonly options: `as const` chains, readonly message arrays and profile lists ---
const chain = ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'] as const;
const history: readonly Message[] = [{ role: 'user', content: 'hi' }];
const profiles = { 'openai-codex': ['codex:main', 'codex:alt'], anthropic: ['claude:main'] } as const;
const actor = createRunActor({ sessionId: 's', messages: history, chain, profiles, call });
createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }] as const, chain: ['a/m'] as const, call });
expectTypeOf(actor).toEqualTypeOf<RunActor>();

// --- send: the host's commands only ---
actor.send({ type: 'run.abort' });
actor.send({ type: 'run.abort', reason: 'user left' });
expectTypeOf(actor.send).parameter(0).toEqualTypeOf<RunCommand>();
// @ts-expect-error stream deltas are the engine's own events
actor.send({ type: 'reply.delta', text: 'injected' });
// @ts-expect-error a lost lease is the engine's own event
actor.send({ type: 'run.leaseLost', error: new Error('x') });
// @ts-expect-error not an event of the run
actor.send({ type: 'run.cancel' });
// start() and stop() give back the same restricted actor
expectTypeOf(actor.start()).toEqualTypeOf<RunActor>();
expectTypeOf(actor.stop()).toEqualTypeOf<RunActor>();

// --- events: typed by name ---
actor.on('candidate.skipped', (e) => {
  expectTypeOf(e.reason).toEqualTypeOf<'cooldown' | 'failed_in_run' | 'attempt_budget'>();
  expectTypeOf(e.detail).toEqualTypeOf<string>();
});
// @ts-expect-error not an event a run emits
actor.on('run.cancelled', () => undefined);

// --- the output: a union on status, its error a union on code ---
async function output() {
  const out = await toPromise(actor);
  expectTypeOf(out).toEqualTypeOf<RunOutput>();
  expectTypeOf(out.runId).toEqualTypeOf<string>();
  if (out.status === 'succeeded') {
    expectTypeOf(out).toEqualTypeOf<SucceededRunOutput>();
    // a text reply's content is a string; a reply holding tool calls has parts, and `text` is always a string
    expectTypeOf(out.reply.content).toEqualTypeOf<string | readonly AssistantPart[]>();
    expectTypeOf(out.text).toEqualTypeOf<string>();
    expectTypeOf(out.messages).toEqualTypeOf<Message[]>();
    // @ts-expect-error a succeeded run has no error
    void out.error;
    return;
  }
  expectTypeOf(out).toEqualTypeOf<FailedRunOutput>();
  expectTypeOf(out.error).toEqualTypeOf<RunError>();
  // @ts-expect-error candidates exist only on FALLBACK_EXHAUSTED / DEADLINE_EXCEEDED
  void out.error.candidates;
  switch (out.error.code) {
    case 'FALLBACK_EXHAUSTED':
    case 'DEADLINE_EXCEEDED':
      expectTypeOf(out.error.candidates).toEqualTypeOf<readonly CandidateReport[]>();
      expectTypeOf(out.error.soonestAvailableAt).toEqualTypeOf<number | undefined>();
      break;
    case 'REQUEST_REJECTED':
      expectTypeOf(out.error.reason).toEqualTypeOf<FailureReason>();
      expectTypeOf(out.error.status).toEqualTypeOf<number | undefined>();
      break;
    case 'SESSION_BUSY':
      expectTypeOf(out.error.waitedMs).toEqualTypeOf<number>();
      break;
    case 'LEASE_LOST':
      expectTypeOf(out.error.sessionId).toEqualTypeOf<string>();
      break;
    case 'CONFIG_INVALID':
      expectTypeOf(out.error.field).toEqualTypeOf<string>();
      break;
    case 'TOOL_ABORTED':
      expectTypeOf(out.error.toolName).toEqualTypeOf<string>();
      break;
    case 'RUN_ABORTED':
    case 'STORE_CORRUPT':
    case 'STORE_SCHEMA_TOO_NEW':
    case 'STORE_BUSY':
    case 'STORE_CLOSED':
    case 'STORE_UNAVAILABLE':
    case 'STORE_FAILED':
      expectTypeOf(out.error.message).toEqualTypeOf<string>();
      break;
    default:
      // every code is handled above
      expectTypeOf(out.error).toBeNever();
  }
}

// --- XState's helpers keep working on the restricted actor ---
async function helpers() {
  const snapshot = await waitFor(actor, (s) => s.matches('attempting'));
  expectTypeOf(snapshot.context.attempts.length).toEqualTypeOf<number>();
}

// --- unknown options are a type error too (and a ConfigError at run time) ---
// @ts-expect-error not an option
createRunActor({ sessionId: 's', messages: history, chain, call, retries: 3 });

void output;
void helpers;
