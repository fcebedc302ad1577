/**
 * The run's steps as pure functions of (context, actor output): each returns what to assign and
 * what to emit. The machine wires them to states; tests can call them directly.
 */
import type { Classification } from '../src/classify/types.js';
import type { RunEvent } from '../src/events.js';
import { nextCandidate, probeTarget, usableProfile } from '../src/policy/availability.js';
import { blockForFailure } from '../src/policy/block-for-failure.js';
import { decideAfterFailure } from '../src/policy/decide-after-failure.js';
import { covers, hasRecoveringCooldown, recoveringCooldowns, sameKey, type RunView } from '../src/policy/run-view.js';
import type { CooldownEntry, CooldownKey, Decision, Usage } from '../src/types.js';
import type { CallProviderOutput, ClaimProbeOutput, CloseRunOutput, OpenSessionOutput, PersistTurnOutput, RunContext, RunFailure, Step } from './run-types.js';
import { failureError } from './run-output.js';
import { iso, skipped } from './skip-report.js';
import { stepServed } from './agent-steps.js';
import { flat } from './held-values.js';
import { CooldownLog, type OwnBlockLog } from '../src/policy/cooldown-log.js';
import { entryPart } from './entry-text.js';
import type { EntryPart } from './decision-log.js';
import type { AttemptLog } from './attempt-log.js';


function current(ctx: RunContext) {
  const c = ctx.chain[ctx.candidateIndex]!;
  return { provider: c.provider, model: c.model, profileId: c.profiles[ctx.profileIndex]! };
}

export function opened(ctx: RunContext, out: OpenSessionOutput): Step {
  return { patch: { history: out.history, cooldowns: CooldownLog.of(out.cooldowns), now: out.at }, events: [] };
}

// escalatingModel's guards and then its action ask, from the same context and in one synchronous
// transition, for the walk of the chain (and, when no candidate is usable, the probe target: a
// walk of every candidate and profile): a pure function of that never-changed object, made once
// for them. Kept in one slot, not a WeakMap by context: an ephemeron table takes an entry for
// every step of every run, and its capacity, grown while runs are in flight, stays (about 1.6 KB
// a run parked on a dead chain of 32). The action empties the slot, so no ended run's context
// stays reachable through it.
type Walk = ReturnType<typeof nextCandidate>;
type Probe = ReturnType<typeof probeTarget> | null;
let memoOf: RunContext | undefined;
let memoWalk: Walk | undefined;
let memoProbe: Probe | undefined;

function memoFor(ctx: RunContext): void {
  if (memoOf === ctx) return;
  memoOf = ctx;
  memoWalk = undefined;
  memoProbe = undefined;
}

/**
 * The walk the policy made after a failure to decide an escalation, handed to the step that
 * enters the candidate (the same macrostep: the failed answer → escalatingModel), with what it read that
 * changes within a run. One slot for the process, emptied when read: nothing of a run is kept in it.
 */
let handedOver: { from: number; view: RunView; walk: Walk } | undefined;

function takeHandedOver(ctx: RunContext): Walk | undefined {
  const h = handedOver;
  handedOver = undefined;
  if (!h) return undefined;
  const v = h.view;
  const same =
    h.from === ctx.candidateIndex && v.attempts === ctx.attempts && v.cooldowns === ctx.cooldowns && v.ownBlocks === ctx.ownBlocks && v.now === ctx.now && v.agent === ctx.agent && v.chain === ctx.chain && v.policy === ctx.policy && v.run === ctx.run;
  return same ? h.walk : undefined;
}

function nextFrom(ctx: RunContext): Walk {
  memoFor(ctx);
  return (memoWalk ??= takeHandedOver(ctx) ?? nextCandidate(ctx, ctx.candidateIndex));
}

function probeFrom(ctx: RunContext): ReturnType<typeof probeTarget> {
  memoFor(ctx);
  if (memoProbe === undefined) memoProbe = probeTarget(ctx) ?? null;
  return memoProbe ?? undefined;
}

/** The step's action has taken what it needed: the slot lets go of the context. */
function forgetWalk(): void {
  memoOf = undefined;
  memoWalk = undefined;
  memoProbe = undefined;
}

/** Guard of escalatingModel: a candidate is usable, or one may be probed, and time is left. */
export function hasCandidate(ctx: RunContext): boolean {
  return ctx.now < ctx.deadlineAt && (nextFrom(ctx).pick !== undefined || probeFrom(ctx) !== undefined);
}

const keyOf = ({ provider, profileId, model }: CooldownEntry): CooldownKey => ({
  provider,
  ...(profileId !== undefined ? { profileId } : {}),
  ...(model !== undefined ? { model } : {}),
});

/** Guard of escalatingModel: the candidate it would enter has ended cooldowns, whose probe one run at a time may take. */
export function nextNeedsClaim(ctx: RunContext): boolean {
  if (!hasCandidate(ctx)) return false;
  // the walk hasCandidate just made (and enterCandidate will use): one walk of the chain per step
  const target = nextFrom(ctx).pick ?? probeFrom(ctx)!;
  const c = ctx.chain[target.candidateIndex]!;
  return hasRecoveringCooldown(ctx, c.provider, c.model, c.profiles[target.profileIndex]!);
}

/** Guard of backingOff: the key called after the wait (scheduleRetry set it) is recovering once the wait is over. */
export function retryNeedsClaim(ctx: RunContext): boolean {
  const at = current(ctx);
  return hasRecoveringCooldown({ ...ctx, now: ctx.now + retryDelayMs(ctx) }, at.provider, at.model, at.profileId);
}

/** Guard of rotatingProfile: the profile the policy chose is recovering. */
export function rotationNeedsClaim(ctx: RunContext): boolean {
  if (ctx.plan?.action !== 'rotate') return false;
  const c = ctx.chain[ctx.candidateIndex]!;
  return hasRecoveringCooldown(ctx, c.provider, c.model, c.profiles[ctx.plan.profileIndex]!);
}

/** The keys the current (model, profile) must claim the probe of. */
export function probeClaims(ctx: RunContext): CooldownKey[] {
  const at = current(ctx);
  return recoveringCooldowns(ctx, at.provider, at.model, at.profileId).map(keyOf);
}

/** Another run probes the candidate's ended cooldown: keep off it (the fallback) until that probe decides. */
export function probeTaken(ctx: RunContext, out: ClaimProbeOutput): Step {
  const at = current(ctx);
  const claims = probeClaims(ctx);
  // without a fresh read, the claims are marked as another run's for the call's length
  const cooldowns = CooldownLog.of(
    out.cooldowns ??
      ctx.cooldowns.entries().map((e) => (claims.some((k) => sameKey(k, e)) ? { ...e, probeRunId: 'another run', probeUntil: out.at + ctx.policy.attemptTimeoutMs } : e)),
  );
  const detail = flat`another run is probing ${at.provider}/${at.model} on ${at.profileId} after its cooldown ended: keeping off it until that probe decides`;
  return {
    patch: { now: Math.max(ctx.now, out.at), cooldowns, probing: false, decisions: ctx.decisions.append({ kind: 'skip', at: out.at, ...at, reason: 'probe_taken', detail }) },
    events: [],
  };
}

export function enterCandidate(ctx: RunContext): Step {
  const from = ctx.candidateIndex >= 0 ? ctx.chain[ctx.candidateIndex] : undefined;
  const { pick, skipped: passed, blocks } = nextFrom(ctx);
  const skips = skipped(ctx, passed, blocks);
  const probe = pick ? undefined : probeFrom(ctx)!;
  forgetWalk();
  const target = pick ?? probe!;
  const c = ctx.chain[target.candidateIndex]!;
  const profileId = c.profiles[target.profileIndex]!;
  const lastReason = lastFacts(ctx)?.reason;
  // a probe is rare and names its time: a decision of its own; an entry is a part shared between runs
  const decision: Decision | EntryPart = probe
    ? {
        kind: 'probe',
        at: ctx.now,
        provider: c.provider,
        model: c.model,
        profileId,
        reason: 'all_cooling_down',
        detail: flat`every candidate is cooling down: probing ${c.provider}/${c.model} on ${profileId}, the first to free up (${iso(probe.until)})`,
      }
    : entryPart(from, c.provider, c.model, profileId, from ? lastReason : undefined);
  const { reason, detail } = decision;
  let events: RunEvent[] = skips.events;
  if (from || probe || passed.length > 0) {
    // one literal per shape, not a conditional literal spread into one: V8 copies a spread in the
    // middle of a literal the generic way (about 0.4 µs per escalation, and a larger object)
    const to = { provider: c.provider, model: c.model, profileId };
    const escalated: RunEvent = from
      ? { type: 'model.escalated', runId: ctx.run.runId, at: ctx.now, from: { provider: from.provider, model: from.model }, to, reason, probe: probe !== undefined, detail }
      : { type: 'model.escalated', runId: ctx.run.runId, at: ctx.now, to, reason, probe: probe !== undefined, detail };
    // alone, a literal of its size: a push onto [] gives the array room for 17
    if (events.length === 0) events = [escalated];
    else events.push(escalated);
  }
  return {
    patch: {
      candidateIndex: target.candidateIndex,
      profileIndex: target.profileIndex,
      // the attempt it enters starts now: startAttempt then has nothing to assign (one context copy less per candidate)
      attemptStartedAt: ctx.now,
      probing: probe !== undefined,
      probed: ctx.probed || probe !== undefined,
      decisions: ctx.decisions.appendAt(ctx.now, skips.skips, decision),
    },
    events,
  };
}

/** escalatingModel found nothing: report the candidates passed over and end the run. */
export function exhaust(ctx: RunContext): Step {
  const walk = nextFrom(ctx);
  forgetWalk();
  const skips = skipped(ctx, walk.skipped, walk.blocks);
  const failure: RunFailure = ctx.now >= ctx.deadlineAt ? { kind: 'deadline' } : { kind: 'exhausted' };
  return {
    patch: {
      failure,
      decisions: ctx.decisions.appendAt(ctx.now, skips.skips, {
        kind: 'fail',
        at: ctx.now,
        reason: failure.kind,
        detail: failure.kind === 'deadline' ? 'the run deadline passed' : 'no candidate left to call',
      }),
    },
    events: skips.events,
  };
}

/** The last call's facts (the policy's read of it: nothing made), if any. */
function lastFacts(ctx: RunContext) {
  const n = ctx.attempts.length;
  return n > 0 ? ctx.attempts.factsAt(n - 1) : undefined;
}

/** The `reply.reset` due when the last call failed after its text reached the host. */
function resetAfterStreamed(ctx: RunContext): RunEvent | undefined {
  const log = ctx.attempts;
  const i = log.length - 1;
  if (i < 0 || log.factsAt(i).outcome !== 'failed' || !log.streamedAt(i)) return undefined;
  return { type: 'reply.reset', runId: ctx.run.runId, at: ctx.now, attempt: log.nAt(i), reason: log.factsAt(i).reason ?? 'unknown' };
}

export function startAttempt(ctx: RunContext): Step {
  // The host already showed a failed attempt's text (a break, a stall, a timeout): tell it to drop that before new text arrives.
  const reset = resetAfterStreamed(ctx);
  const { provider, model, profileId } = current(ctx);
  const started: RunEvent = { type: 'attempt.started', runId: ctx.run.runId, at: ctx.now, provider, model, profileId, attempt: ctx.attempts.length + 1, probe: ctx.probing };
  // literals of their size: a push onto [] gives the array room for 17
  const events: RunEvent[] = reset ? [reset, started] : [started];
  // an empty patch assigns nothing: after enterCandidate (which set attemptStartedAt) the context is not copied again
  const patch: Partial<RunContext> = {};
  if (ctx.attemptStartedAt !== ctx.now) patch.attemptStartedAt = ctx.now;
  if (ctx.agent.shownText) patch.agent = { ...ctx.agent, shownText: false };
  return { patch, events };
}

/** The run's attempts followed by the call that just ended (numbered next: the log's new length). */
function recorded(ctx: RunContext, durationMs: number, failure?: Classification, extra?: { streamed?: boolean; usage?: Usage }): AttemptLog {
  const { provider, model, profileId } = current(ctx);
  // one literal of one shape (absent values undefined), not conditional literals spread into one
  return ctx.attempts.appendCall({
    provider,
    model,
    profileId,
    startedAt: ctx.attemptStartedAt,
    durationMs,
    failure,
    probe: ctx.probing,
    streamed: extra?.streamed === true || ctx.agent.shownText,
    usage: extra?.usage,
  });
}

export function callSucceeded(ctx: RunContext, out: Extract<CallProviderOutput, { ok: true }>): Step {
  const at = current(ctx);
  const attempts = recorded(ctx, out.durationMs, undefined, out.usage ? { usage: out.usage } : undefined);
  // the served call's record, for its step (one record per served call)
  const attempt = attempts.at(-1)!;
  // A success proves wrong every cooldown that would have blocked this very call.
  const known = ctx.cooldowns;
  const proven: CooldownKey[] = [];
  for (let i = 0; i < known.length; i++) if (covers(known.keyAt(i), at.provider, at.model, at.profileId)) proven.push(known.keyAt(i));
  const events: RunEvent[] = [
    // the call's key written out, not spread: a spread in the middle of a literal is copied the generic way
    { type: 'attempt.succeeded', runId: ctx.run.runId, at: out.at, provider: at.provider, model: at.model, profileId: at.profileId, attempt: attempt.n, durationMs: out.durationMs },
  ];
  if (proven.length > 0) {
    events.push({
      type: 'cooldown.cleared',
      runId: ctx.run.runId,
      at: out.at,
      keys: proven.map(({ provider, profileId, model }) => ({ provider, ...(profileId !== undefined ? { profileId } : {}), ...(model !== undefined ? { model } : {}) })),
    });
  }
  const served = stepServed(ctx, out, attempt, at);
  // one literal, no spread: a spread into a literal copies the generic way, adding each field
  const patch: Partial<RunContext> = { now: out.at, attempts, agent: served.agent, reply: served.reply, servedBy: at, probing: false };
  if (proven.length > 0) patch.cooldowns = known.without((i) => covers(known.keyAt(i), at.provider, at.model, at.profileId));
  return { patch, events };
}

/**
 * The call tried a key whose shared cooldown (set by another run) had ended: a probe of a
 * recovering key, which gets one call, never a retry, so a flapping provider is not hammered.
 */
function recovering(ctx: RunContext, call: { provider: string; model: string; profileId: string }): boolean {
  return hasRecoveringCooldown(ctx, call.provider, call.model, call.profileId);
}

/**
 * The policy's view of the run after a failure: only the RunView fields, not a spread of the whole
 * context (a copy of its 16 to 19 fields, twice per failure, for the policy to read a few).
 * `runId` stays out, as it is in the context (the run's id is `run.runId`).
 */
function policyView(
  ctx: RunContext,
  now: number,
  attempts: AttemptLog,
  cooldowns: CooldownLog,
  ownBlocks: OwnBlockLog,
): RunView {
  return { run: ctx.run, chain: ctx.chain, policy: ctx.policy, now, deadlineAt: ctx.deadlineAt, attempts, agent: ctx.agent, cooldowns, ownBlocks, probed: ctx.probed };
}

type AttemptFailedEvent = Extract<RunEvent, { type: 'attempt.failed' }>;

/**
 * The attempt.failed event as one literal of its exact shape (the keys and their order of the
 * spread it replaces: status and retryAfterMs only when known), not conditional literals spread
 * into one, which V8 copies the slow, generic way: every failure makes one.
 */
function attemptFailed(runId: string, out: Extract<CallProviderOutput, { ok: false }>, call: { provider: string; model: string; profileId: string }, attempt: number): AttemptFailedEvent {
  const { at, failure, durationMs } = out;
  const { provider, model, profileId } = call;
  const { reason, scope, status, retryAfterMs, message } = failure;
  if (status !== undefined) {
    return retryAfterMs !== undefined
      ? { type: 'attempt.failed', runId, at, provider, model, profileId, attempt, reason, scope, status, retryAfterMs, message, durationMs }
      : { type: 'attempt.failed', runId, at, provider, model, profileId, attempt, reason, scope, status, message, durationMs };
  }
  return retryAfterMs !== undefined
    ? { type: 'attempt.failed', runId, at, provider, model, profileId, attempt, reason, scope, retryAfterMs, message, durationMs }
    : { type: 'attempt.failed', runId, at, provider, model, profileId, attempt, reason, scope, message, durationMs };
}

export function callFailed(ctx: RunContext, out: Extract<CallProviderOutput, { ok: false }>): Step {
  const call = current(ctx);
  const failure = out.failure;
  const attempts = recorded(ctx, out.durationMs, failure, out);
  const known = out.cooldowns ? ctx.cooldowns.withProviderRead(call.provider, out.cooldowns) : ctx.cooldowns;
  const block = blockForFailure(policyView(ctx, out.at, attempts, known, ctx.ownBlocks), failure, call);
  const after = policyView(ctx, out.at, attempts, block.shared ? known.upsert(block.shared) : known, ctx.ownBlocks.append(block.own));
  let walked: { from: number; view: RunView; walk: Walk } | undefined;
  const walk = (view: RunView, from: number): Walk => (walked = { from, view, walk: nextCandidate(view, from) }).walk;
  const plan = decideAfterFailure(after, ctx, failure, block.waitMs, recovering(ctx, call), walk);
  handedOver = plan.action === 'escalate' ? walked : undefined;
  const failedEvent = attemptFailed(ctx.run.runId, out, call, attempts.length);
  // a literal of its size: a push onto a full array gives it room for 17 more
  const events: RunEvent[] = block.shared ? [failedEvent, { type: 'cooldown.set', runId: ctx.run.runId, at: out.at, cooldown: block.shared }] : [failedEvent];
  let decisions = ctx.decisions;
  let failed: RunFailure | undefined;
  if (plan.action === 'fail') {
    failed =
      plan.why === 'request_rejected' ? { kind: 'rejected', failure } : plan.why === 'aborted' ? { kind: 'aborted' } : { kind: plan.why };
    const detail = flat`stopping after ${failure.reason}: ${plan.why.replace('_', ' ')}`;
    decisions = decisions.append({ kind: 'fail', at: out.at, provider: call.provider, model: call.model, profileId: call.profileId, reason: failure.reason, detail });
  }
  const patch: Partial<RunContext> = { now: out.at, attempts, cooldowns: after.cooldowns, ownBlocks: after.ownBlocks, plan, probing: false, decisions };
  if (failed) patch.failure = failed;
  return { patch, events };
}

/**
 * The attempt's own timer fired: the call is cut (its signal aborts) and counts as a timeout of
 * this request (timeout → scope `request`). One hung call says nothing about the
 * provider's other models and profiles, and a cut at the run's deadline nothing at all, so it
 * blocks only this (model, profile), for the backoff, in this run, and is not shared.
 */
export function attemptTimedOut(ctx: RunContext, timeoutMs: number): Step {
  return callFailed(ctx, {
    ok: false,
    at: ctx.attemptStartedAt + timeoutMs,
    durationMs: timeoutMs,
    failure: { reason: 'timeout', scope: 'request', retryable: true, message: `no answer within ${timeoutMs} ms` },
  });
}

/**
 * The machine's own cut of a call: attemptTimeoutMs for a non-streamed one, only the deadline for
 * a streamed one (its first-token and idle limits run in the call), so a long healthy stream is never cut.
 */
export function attemptTimeoutMs(ctx: RunContext): number {
  const left = ctx.deadlineAt - ctx.now;
  return Math.max(0, ctx.agent.streamed ? left : Math.min(ctx.policy.attemptTimeoutMs, left));
}

export function scheduleRetry(ctx: RunContext): Step {
  const plan = ctx.plan?.action === 'retry' ? ctx.plan : undefined;
  const delayMs = plan?.delayMs ?? 0;
  // the wait may go to another key that frees up first: the call after it is that key's
  const moved = plan?.candidateIndex !== undefined ? { candidateIndex: plan.candidateIndex, profileIndex: plan.profileIndex! } : undefined;
  const call = current(moved ? { ...ctx, ...moved } : ctx);
  const reason = lastFacts(ctx)?.reason ?? 'unknown';
  const detail = moved
    ? flat`waiting ${delayMs} ms for ${call.provider}/${call.model} on ${call.profileId}, the first key to free up, after ${reason}`
    : flat`retrying ${call.provider}/${call.model} on ${call.profileId} in ${delayMs} ms after ${reason}`;
  return {
    patch: { ...(moved ?? {}), decisions: ctx.decisions.append({ kind: 'retry', at: ctx.now, ...call, reason, delayMs, detail }) },
    events: [{ type: 'retry.scheduled', runId: ctx.run.runId, at: ctx.now, ...call, reason, delayMs, detail }],
  };
}

export function retryDelayMs(ctx: RunContext): number {
  return ctx.plan?.action === 'retry' ? ctx.plan.delayMs : 0;
}

export function rotateProfile(ctx: RunContext): Step {
  const from = current(ctx);
  // the policy already chose the profile when it decided to rotate (the failed answer → rotatingProfile)
  const profileIndex = ctx.plan?.action === 'rotate' ? ctx.plan.profileIndex : usableProfile(ctx, ctx.candidateIndex, ctx.profileIndex)!;
  const toProfileId = ctx.chain[ctx.candidateIndex]!.profiles[profileIndex]!;
  const reason = lastFacts(ctx)?.reason ?? 'unknown';
  const detail = flat`rotating ${from.provider}/${from.model} from ${from.profileId} to ${toProfileId} after ${reason}`;
  return {
    patch: {
      profileIndex,
      decisions: ctx.decisions.append({ kind: 'rotate', at: ctx.now, provider: from.provider, model: from.model, profileId: toProfileId, reason, detail }),
    },
    events: [
      { type: 'profile.rotated', runId: ctx.run.runId, at: ctx.now, provider: from.provider, model: from.model, fromProfileId: from.profileId, toProfileId, reason, detail },
    ],
  };
}

/** The decision to append the reply, taken when it arrives; committed with the run's other decisions. */
export function persistDecision(ctx: RunContext): Decision {
  const turns = ctx.run.messages.length + ctx.agent.produced.length;
  return { kind: 'persist', at: ctx.now, reason: 'committed', detail: flat`appended ${turns} turn(s) to session ${ctx.run.sessionId}` };
}

export function persisted(ctx: RunContext, out: PersistTurnOutput): Step {
  const decision = persistDecision(ctx);
  return {
    patch: { now: out.at, decisions: ctx.decisions.append(decision) },
    events: [{ type: 'session.persisted', runId: ctx.run.runId, at: out.at, sessionId: ctx.run.sessionId, turns: out.turns, detail: decision.detail }],
  };
}

/** The run is failing: its typed error, made once for the store, the event and the output. */
export function settleError(ctx: RunContext): Step {
  return { patch: { error: failureError(ctx) }, events: [] };
}

/** The failed run's row is closed (and an uncommitted reply kept where the store could). */
export function closed(_ctx: RunContext, out: CloseRunOutput): Step {
  return { patch: { now: out.at, ...(out.replyKeptIn ? { replyKeptIn: out.replyKeptIn } : {}) }, events: [] };
}

export function fail(ctx: RunContext, failure: RunFailure, reason: string, detail: string): Step {
  return { patch: { failure, decisions: ctx.decisions.append({ kind: 'fail', at: ctx.now, reason, detail }) }, events: [] };
}

/** A text delta of the streaming call in flight, passed on to the host. */
export function deltaReceived(ctx: RunContext, event: { text: string; at?: number }): Step {
  // one assignment per attempt, on its first delta: the machine's own cut (the deadline) then knows a reset is due
  return { patch: ctx.agent.shownText ? {} : { agent: { ...ctx.agent, shownText: true } }, events: [{ type: 'reply.delta', runId: ctx.run.runId, at: event.at ?? ctx.now, attempt: ctx.attempts.length + 1, text: event.text }] };
}

export function announceSucceeded(ctx: RunContext): Step {
  return {
    patch: {},
    events: [{ type: 'run.succeeded', runId: ctx.run.runId, at: ctx.now, sessionId: ctx.run.sessionId, servedBy: ctx.servedBy!, attempts: ctx.attempts.length }],
  };
}

export function announceFailed(ctx: RunContext): Step {
  const error = failureError(ctx);
  // The host showed this attempt's text and it is not the answer: drop it, whatever ended the run.
  const last = resetAfterStreamed(ctx);
  const reset: RunEvent[] = last ? [last] : [];
  return {
    patch: {},
    events: [
      ...reset,
      { type: 'run.failed', runId: ctx.run.runId, at: ctx.now, sessionId: ctx.run.sessionId, code: error.code, message: error.message, attempts: ctx.attempts.length },
    ],
  };
}
