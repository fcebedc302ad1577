import { setup } from 'xstate';
import type { RunEvent } from '../src/events.js';
import type {
  CallProviderOutput,
  ClaimProbeOutput,
  CloseRunOutput,
  EffectName,
  Effects,
  ExecuteToolsOutput,
  OpenSessionOutput,
  PersistTurnOutput,
  EngineCommand,
  RunContext,
  RunFailure,
  RunInput,
  RunOutput,
  Step,
} from './run-types.js';
import { chainProviders } from '../src/policy/chain-providers.js';
import { DecisionLog } from './decision-log.js';
import { AttemptLog } from './attempt-log.js';
import { CooldownLog, OwnBlockLog } from '../src/policy/cooldown-log.js';
import * as steps from './run-steps.js';
import * as agent from './agent-steps.js';
import { buildOutput, failureError } from './run-output.js';
import { quietStep, stepAction } from './step-action.js';

// An effect is started by an entry action of its name, which createRunActor() provides (I/O is not the machine's).
const notProvided =
  <K extends EffectName>(name: K) =>
  (_: unknown, _input: Effects[K]['input']): void => {
    throw new Error(`the effect ${name} is not provided: create runs with createRunActor()`);
  };

const apply = stepAction;

const failWith = (failure: (event: any) => RunFailure, reason: string, detail: (event: any) => string) =>
  apply((ctx, event) => steps.fail(ctx, failure(event), reason, detail(event)));

// The states where a run can wait (on the lease, a provider, a backoff) are the ones it can be stopped in.
// Leaving before the effect under way answered cuts it first (`cutEffect`; none under way in backingOff).
const stoppers = {
  'run.abort': { target: '#run.closing', actions: ['cutEffect', 'failAborted'] },
  'run.leaseLost': { target: '#run.closing', actions: ['cutEffect', 'failLeaseLost'] },
} as const;

const advance = (ctx: RunContext) => ({ patch: { now: ctx.now + steps.retryDelayMs(ctx) }, events: [] });

type PlanAction = NonNullable<RunContext['plan']>['action'];

/**
 * The step of a failed call's answer (or of its timeout), made once: the guards that choose where
 * the answer leads read its plan, then the transition's action applies that very step. The
 * policy is decided where it always was (callFailed), once; the transition goes straight to its
 * plan's state instead of through an eventless `deciding` state, a whole XState microstep (exit
 * and entry sets, a snapshot, its value and tags) per failure. One slot: a transition's guards
 * and actions run back to back, and the action empties it (no context is kept past it).
 */
let slotCtx: RunContext | undefined;
let slotAnswer: object | undefined;
let slotStep: Step | undefined;

/** The step of a failed call's `output`, or of the timeout `event` (`timedOut`), made once per answer. */
function failureStep(ctx: RunContext, answer: object, timedOut: boolean): Step {
  if (slotCtx === ctx && slotAnswer === answer) return slotStep!;
  const step = timedOut
    ? steps.attemptTimedOut(ctx, steps.attemptTimeoutMs(ctx))
    : steps.callFailed(ctx, answer as Extract<CallProviderOutput, { ok: false }>);
  slotCtx = ctx;
  slotAnswer = answer;
  slotStep = step;
  return step;
}

/** Applies the failure's step: the one its guards made (see failureStep). */
function takeFailure(ctx: RunContext, answer: object, timedOut: boolean): Step {
  const step = failureStep(ctx, answer, timedOut);
  slotCtx = slotAnswer = slotStep = undefined;
  return step;
}

/** The actions that apply a step (stepAction): the machine's only actions besides its effects and cutEffect. */
const stepActions = {
  applyOpened: apply((ctx, event) => steps.opened(ctx, event.output as OpenSessionOutput)),
  enterCandidate: apply(steps.enterCandidate),
  // Every transition into `attempting` starts the attempt with its own step (one action less
  // per attempt than an entry action of its own); the entry then only calls the provider.
  enterAndStart: apply(steps.enterCandidate, steps.startAttempt),
  exhaust: apply(steps.exhaust),
  recordProbeTaken: apply((ctx, event) => steps.probeTaken(ctx, event.output as ClaimProbeOutput)),
  startAttempt: apply(steps.startAttempt),
  recordSuccess: apply((ctx, event) => steps.callSucceeded(ctx, event.output)),
  recordFailure: apply((ctx, event) => takeFailure(ctx, event.output, false)),
  recordTimeout: apply((ctx, event) => takeFailure(ctx, event, true)),
  scheduleRetry: apply(steps.scheduleRetry),
  advanceClock: apply(advance),
  advanceAndStart: apply(advance, steps.startAttempt),
  rotateProfile: apply(steps.rotateProfile),
  rotateAndStart: apply(steps.rotateProfile, steps.startAttempt),
  // The run's end is announced by the step of the transition into its final state, not by an
  // entry action of its own there (one action less per run); emitFailed when the close failed.
  recordPersisted: apply((ctx, event) => steps.persisted(ctx, event.output as PersistTurnOutput), steps.announceSucceeded),
  recordClosed: apply((ctx, event) => steps.closed(ctx, event.output as CloseRunOutput), steps.announceFailed),
  settleError: apply(steps.settleError),
  forwardDelta: apply(steps.deltaReceived),
  recordToolResults: apply((ctx, event) => agent.toolsExecuted(ctx, event.output as ExecuteToolsOutput)),
  beginStep: apply(agent.beginStep),
  forwardToolEvent: apply(agent.toolEvent),
  failAborted: failWith((e) => ({ kind: 'aborted', ...(e.reason ? { detail: e.reason } : {}) }), 'aborted', (e) => `aborted by the caller${e.reason ? `: ${e.reason}` : ''}`),
  failLeaseLost: failWith((e) => ({ kind: 'error', error: e.error }), 'lease_lost', () => 'the session lease was lost'),
  failOnError: failWith((e) => ({ kind: 'error', error: e.error }), 'error', (e) => String((e.error as Error)?.message ?? e.error)),
  failToolsDeadline: failWith(() => ({ kind: 'deadline' }), 'deadline', () => 'the run deadline passed while its tools ran'),
  emitFailed: apply(steps.announceFailed),
};

/** The step actions for runs nobody inspects (quietStep): createRunActor provides them when its options have no `inspect`. */
export const quietStepActions: Record<string, unknown> = Object.fromEntries(Object.entries(stepActions).map(([name, action]) => [name, quietStep(action)]));

/**
 * One LLM run: from the session lease through attempts, rotations and escalations to a persisted
 * reply. Structure only: every decision is a named guard reading src/policy. Every effect (take
 * the session, call a provider, claim a probe, run tools, commit, close) is started by the entry
 * action of its name, which createRunActor() provides, answers with an `<effect>.done` or
 * `<effect>.error` event, and is cut by `cutEffect` when its state is left before that answer (an
 * abort, a lost lease, a timeout, the deadline: the transitions that can leave first run it, not
 * an exit action that every answer would run for nothing). Not invoked actors: an
 * invoked actor is a whole XState actor made, registered, started and stopped per effect, about
 * 40 µs each, more than the machine's own work for a run (docs/architecture.md).
 */
export const runMachine = setup({
  types: {
    input: {} as RunInput,
    context: {} as RunContext,
    events: {} as EngineCommand,
    emitted: {} as RunEvent,
    output: {} as RunOutput,
  },
  delays: {
    retryDelay: ({ context }) => steps.retryDelayMs(context),
    toolsDeadline: ({ context }) => agent.toolsDeadlineMs(context),
  },
  guards: {
    // These read the answer from the event itself: a params function made an object per evaluation.
    callSucceeded: ({ event }) => (event as { output: CallProviderOutput }).output.ok,
    stepCallsTools: ({ context, event }) => {
      const output = (event as { output: CallProviderOutput }).output;
      return output.ok && agent.stepCallsTools(context, output);
    },
    anotherStep: ({ context }) => agent.anotherStep(context),
    hasCandidate: ({ context }) => steps.hasCandidate(context),
    nextNeedsClaim: ({ context }) => steps.nextNeedsClaim(context),
    retryNeedsClaim: ({ context }) => steps.retryNeedsClaim(context),
    rotationNeedsClaim: ({ context }) => steps.rotationNeedsClaim(context),
    probeClaimed: ({ event }) => (event as { output: ClaimProbeOutput }).output.claimed,
    /** Where a failed call's answer leads: its plan (callFailed, made once with the action, see failureStep). */
    failurePlanIs: ({ context, event }, params: { action: PlanAction }) => failureStep(context, (event as { output: object }).output, false).patch.plan?.action === params.action,
    /** Where an attempt's timeout leads: its plan, as for a failure. */
    timeoutPlanIs: ({ context, event }, params: { action: PlanAction }) => failureStep(context, event, true).patch.plan?.action === params.action,
  },
  actions: {
    openSession: notProvided('openSession'),
    callProvider: notProvided('callProvider'),
    claimProbe: notProvided('claimProbe'),
    persistTurn: notProvided('persistTurn'),
    closeRun: notProvided('closeRun'),
    executeTools: notProvided('executeTools'),
    /** Cuts the effect under way (its state is left: a timeout, an abort, the deadline); its late answer is dropped. */
    cutEffect: () => undefined,
    ...stepActions,
  },
}).createMachine({
  id: 'run',
  context: ({ input }) => ({
    run: { runId: input.runId, sessionId: input.sessionId, messages: input.messages },
    chain: input.chain,
    policy: input.policy,
    history: [],
    agent: {
      tools: input.agent?.tools ?? [],
      executableTools: input.agent?.executableTools ?? [],
      maxSteps: input.agent?.maxSteps ?? 1,
      produced: [],
      steps: [],
      stepStart: 0,
      streamed: input.stream ?? false,
      shownText: false,
    },
    now: input.startedAt,
    deadlineAt: input.startedAt + input.policy.deadlineMs,
    candidateIndex: -1,
    profileIndex: 0,
    attemptStartedAt: input.startedAt,
    attempts: AttemptLog.EMPTY,
    cooldowns: CooldownLog.EMPTY,
    ownBlocks: OwnBlockLog.EMPTY,
    probed: false,
    probing: false,
    decisions: DecisionLog.EMPTY,
  }),
  initial: 'opening',
  states: {
    opening: {
      description: 'Take the session lease (held until the run ends), read history and cooldowns.',
      entry: {
        type: 'openSession',
        params: ({ context }) => ({
          runId: context.run.runId,
          sessionId: context.run.sessionId,
          providers: chainProviders(context.chain),
        }),
      },
      on: {
        ...stoppers,
        'openSession.done': { target: 'escalatingModel', actions: 'applyOpened' },
        'openSession.error': { target: 'closing', actions: 'failOnError' },
      },
    },
    escalatingModel: {
      description: 'Walk the chain to the next candidate with a usable profile; skip the rest without a call.',
      always: [
        { guard: 'nextNeedsClaim', target: 'claimingProbe', actions: 'enterCandidate' },
        { guard: 'hasCandidate', target: 'attempting', actions: 'enterAndStart' },
        { target: 'closing', actions: 'exhaust' },
      ],
    },
    claimingProbe: {
      description: "The key's cooldown (another run's) ended: claim its probe through the store, or leave it to the run that holds it.",
      entry: { type: 'claimProbe', params: ({ context }) => ({ keys: steps.probeClaims(context) }) },
      on: {
        ...stoppers,
        'claimProbe.done': [
          { guard: 'probeClaimed', target: 'attempting', actions: 'startAttempt' },
          { target: 'escalatingModel', actions: 'recordProbeTaken' },
        ],
        'claimProbe.error': { target: 'closing', actions: 'failOnError' },
      },
    },
    attempting: {
      description: 'Call the provider for the current (model, profile).',
      // the attempt was started (startAttempt) by the transition that came here
      entry: {
        type: 'callProvider',
        params: ({ context }) => {
          const c = context.chain[context.candidateIndex]!;
          return {
            provider: c.provider,
            model: c.model,
            profileId: c.profiles[context.profileIndex]!,
            attempt: context.attempts.length + 1,
            step: context.agent.steps.length + 1,
            timeoutMs: steps.attemptTimeoutMs(context),
            // The arrays as they are: the call's copy is made by the effect (see CallProviderInput)
            history: context.history,
            messages: context.run.messages,
            produced: context.agent.produced,
          };
        },
      },
      on: {
        ...stoppers,
        // The attempt's time limit (its input's timeoutMs), armed by the call's effect on the run's
        // clock: an `after` transition cost XState a delayed event, its record and its cancel per call.
        // Then, as for a failed call, the policy's plan: stop, wait, another profile, another model.
        'callProvider.timeout': [
          { guard: { type: 'timeoutPlanIs', params: { action: 'fail' } }, target: 'closing', actions: ['cutEffect', 'recordTimeout'] },
          { guard: { type: 'timeoutPlanIs', params: { action: 'retry' } }, target: 'backingOff', actions: ['cutEffect', 'recordTimeout'] },
          { guard: { type: 'timeoutPlanIs', params: { action: 'rotate' } }, target: 'rotatingProfile', actions: ['cutEffect', 'recordTimeout'] },
          { target: 'escalatingModel', actions: ['cutEffect', 'recordTimeout'] },
        ],
        'callProvider.done': [
          {
            guard: 'stepCallsTools',
            target: 'executingTools',
            actions: 'recordSuccess',
          },
          {
            guard: 'callSucceeded',
            target: 'lockedPersist',
            actions: 'recordSuccess',
          },
          { guard: { type: 'failurePlanIs', params: { action: 'fail' } }, target: 'closing', actions: 'recordFailure' },
          { guard: { type: 'failurePlanIs', params: { action: 'retry' } }, target: 'backingOff', actions: 'recordFailure' },
          { guard: { type: 'failurePlanIs', params: { action: 'rotate' } }, target: 'rotatingProfile', actions: 'recordFailure' },
          { target: 'escalatingModel', actions: 'recordFailure' },
        ],
        'callProvider.error': { target: 'closing', actions: 'failOnError' },
        'reply.delta': { actions: 'forwardDelta' },
      },
    },
    backingOff: {
      description: 'Wait out a short backoff or Retry-After, then call the same candidate again.',
      entry: 'scheduleRetry',
      on: stoppers,
      after: {
        retryDelay: [
          { guard: 'retryNeedsClaim', target: 'claimingProbe', actions: 'advanceClock' },
          { target: 'attempting', actions: 'advanceAndStart' },
        ],
      },
    },
    rotatingProfile: {
      // a failed call comes here only when the policy found a usable profile on this same context.
      description: 'Next auth profile of the same provider that is not cooling down.',
      always: [
        { guard: 'rotationNeedsClaim', target: 'claimingProbe', actions: 'rotateProfile' },
        { target: 'attempting', actions: 'rotateAndStart' },
      ],
    },
    executingTools: {
      description: 'Execute the tool calls the step asked for; their results join the run, then the next step fails over on its own.',
      entry: { type: 'executeTools', params: ({ context }) => agent.executeToolsInput(context) },
      // tools run on the run's time: a tool that never answers is cut at the deadline (its abortSignal aborts)
      after: {
        toolsDeadline: { target: 'closing', actions: ['cutEffect', 'failToolsDeadline'] },
      },
      on: {
        ...stoppers,
        'executeTools.done': [
          { guard: 'anotherStep', target: 'escalatingModel', actions: ['recordToolResults', 'beginStep'] },
          { target: 'lockedPersist', actions: 'recordToolResults' },
        ],
        // only a ToolAbortError (or a store failure under way) gets here: a tool's throw is a result
        'executeTools.error': { target: 'closing', actions: 'failOnError' },
        'tool.started': { actions: 'forwardToolEvent' },
        'tool.finished': { actions: 'forwardToolEvent' },
      },
    },
    lockedPersist: {
      description: 'Append the new turn(s) and the reply in one transaction under the session lease.',
      // No abort here: the commit is one fenced transaction already under way, and a lost lease
      // is detected by that transaction itself (the reply is then kept as an orphan).
      entry: {
        type: 'persistTurn',
        params: ({ context }) => ({
          reply: context.reply!,
          produced: context.agent.produced.slice(0, -1),
          servedBy: context.servedBy!,
          attempts: context.attempts.toArray(),
          decisions: context.decisions.toArray().concat([steps.persistDecision(context)]),
        }),
      },
      on: {
        'persistTurn.done': { target: 'succeeded', actions: 'recordPersisted' },
        'persistTurn.error': { target: 'closing', actions: 'failOnError' },
      },
    },
    closing: {
      description: 'Close the failed run on its row (an uncommitted reply kept as an orphan) and release the session lease.',
      // Every failure passes here, so when the host sees the output the session is already free.
      entry: [
        'settleError',
        {
          type: 'closeRun',
          params: ({ context }) => ({
            error: failureError(context),
            attempts: context.attempts.toArray(),
            decisions: context.decisions.toArray(),
            ...(context.reply !== undefined && context.servedBy
              ? { uncommitted: { reply: context.reply, produced: context.agent.produced.slice(0, -1), servedBy: context.servedBy } }
              : {}),
          }),
        },
      ],
      on: {
        'closeRun.done': { target: 'failed', actions: 'recordClosed' },
        'closeRun.error': { target: 'failed', actions: 'emitFailed' },
      },
    },
    // entered only with their announcement (recordPersisted; recordClosed or emitFailed)
    succeeded: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => buildOutput(context),
});

export type RunMachine = typeof runMachine;
