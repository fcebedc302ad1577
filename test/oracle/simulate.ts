import type { Classification } from '../../src/classify/types.js';
import { classificationOf, scriptKey, type Outcome, type World } from '../arbitraries/world-types.js';
import { CooldownBook } from './cooldown-book.js';
import type { EndCode, Expectation, ExpectedBlock, ExpectedCall, ExpectedDecision } from './expectation.js';
import { covers, keyFor, sameKey, type Key, type Target } from './keys.js';
import { CUT, movesFor, RETRYABLE } from './rules.js';
import { blockWaitMs, isShared } from './wait.js';

/** How a failed call's payload is read: pinned by the world (default) or by a real classifier. */
export type ReadFailure = (o: Extract<Outcome, { kind: 'fail' }>, provider: string, now: number) => Classification;

const pinnedReading: ReadFailure = (o, _provider, now) => classificationOf(o.pinned, o.payload, now);

interface Spot {
  c: number;
  p: number;
}

/**
 * The reference run: walks a world with the policy of the spec, one plain function per rule, and
 * says which calls happen, in which order and at what simulated time, and how the run ends.
 */
export function simulate(world: World, read: ReadFailure = pinnedReading): Expectation {
  const { chain, policy } = world;
  const providers = new Set(chain.map((c) => c.provider));
  const book = new CooldownBook(world.cooldowns);
  const deadline = policy.deadlineMs;
  const abortAt = world.abortAtMs ?? Infinity;
  const used = new Map<string, number>();
  const calls: ExpectedCall[] = [];
  const decisions: ExpectedDecision[] = [];
  const blocks: ExpectedBlock[] = [];
  let now = 0;
  let known = book.active(providers, now); // what this run knows of the shared cooldowns
  let probed = false;

  const target = ({ c, p }: Spot): Target => {
    const e = chain[c]!;
    return { provider: e.provider, model: e.model, profileId: world.profiles[e.provider]![p]! };
  };
  const profilesOf = (c: number) => world.profiles[chain[c]!.provider]!;
  const same = (x: Target, t: Target) => x.provider === t.provider && x.model === t.model && x.profileId === t.profileId;
  const callsOn = (t: Target) => calls.filter((x) => same(x, t)).length;
  const failedHere = (t: Target) => calls.some((x) => x.result !== 'reply' && same(x, t));
  const ownBlocked = (t: Target) => blocks.some((b) => b.until > now && covers(b.key, t));
  const cooling = (t: Target) => known.filter((e) => e.until > now && covers(e, t));
  const usable = (t: Target) => !ownBlocked(t) && callsOn(t) < policy.maxAttemptsPerCandidate && cooling(t).length === 0;

  const walk = (from: number): { pick?: Spot; passed: number[] } => {
    const passed: number[] = [];
    for (let c = from + 1; c < chain.length; c++) {
      const p = profilesOf(c).findIndex((_, i) => usable(target({ c, p: i })));
      if (p >= 0) return { pick: { c, p }, passed };
      passed.push(c);
    }
    return { passed };
  };

  // Nothing usable: the (model, profile) held back only by cooldowns this run did not cause, the
  // one whose cooldowns end first (chain order breaks ties); once per run.
  const probeTarget = (): Spot | undefined => {
    if (probed || policy.whenAllCoolingDown !== 'probe') return undefined;
    let best: (Spot & { until: number }) | undefined;
    chain.forEach((_, c) =>
      profilesOf(c).forEach((_, p) => {
        const t = target({ c, p });
        const by = cooling(t);
        if (by.length === 0 || ownBlocked(t) || failedHere(t) || callsOn(t) >= policy.maxAttemptsPerCandidate) return;
        // a revoked key or an unpaid account is never probed before its time
        if (by.some((e) => e.reason === 'auth' || e.reason === 'billing')) return;
        const until = Math.max(...by.map((e) => e.until));
        if (!best || until < best.until) best = { c, p, until };
      }),
    );
    return best && { c: best.c, p: best.p };
  };

  const skip = (passed: readonly number[]) => {
    for (const c of passed) decisions.push({ kind: 'skip', provider: chain[c]!.provider, model: chain[c]!.model });
  };
  const end = (status: 'succeeded' | 'failed', code?: EndCode, servedBy?: Target): Expectation => ({
    status,
    ...(code ? { code } : {}),
    ...(servedBy ? { servedBy } : {}),
    calls,
    decisions,
    blocks,
    endedAt: now,
  });
  const fail = (code: EndCode): Expectation => {
    decisions.push({ kind: 'fail' });
    return end('failed', code);
  };

  let at: Spot = { c: -1, p: 0 };
  let probe = false;
  let step: 'walk' | 'call' = 'walk';
  for (let guard = 0; guard < 10_000; guard++) {
    if (step === 'walk') {
      const { pick, passed } = walk(at.c);
      const spot = now < deadline ? (pick ?? probeTarget()) : undefined;
      skip(passed);
      if (!spot) return fail(now >= deadline ? 'DEADLINE_EXCEEDED' : 'FALLBACK_EXHAUSTED');
      probe = !pick;
      probed ||= probe;
      decisions.push({ kind: probe ? 'probe' : at.c < 0 ? 'select' : 'escalate', ...target(spot) });
      at = spot;
    }

    // One call of target(at): it answers, fails, or is cut at the attempt timeout or the deadline.
    const t = target(at);
    const key = scriptKey(t.provider, t.model, t.profileId);
    const script = world.scripts[key]!;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const outcome = script[Math.min(n, script.length - 1)]!;
    const limit = Math.min(policy.attemptTimeoutMs, deadline - now);
    const takes = outcome.kind === 'hang' ? Infinity : outcome.delayMs;
    const endsAt = now + Math.min(takes, limit);
    const call: ExpectedCall = { ...t, startedAt: now, probe, result: 'cut' };
    calls.push(call);
    if (abortAt < endsAt) {
      call.result = 'aborted';
      now = abortAt;
      return fail('RUN_ABORTED');
    }
    now = endsAt;
    if (outcome.kind === 'reply' && takes < limit) {
      call.result = 'reply';
      decisions.push({ kind: 'persist' });
      return end('succeeded', undefined, t);
    }
    const f = outcome.kind === 'fail' && takes < limit ? read(outcome, t.provider, now) : { ...CUT, message: 'cut' };
    call.result = outcome.kind === 'fail' && takes < limit ? 'fail' : 'cut';
    call.reason = f.reason;

    // The request itself is refused, or the caller stopped it: no other candidate would do better.
    if (f.reason === 'aborted') return fail('RUN_ABORTED');
    // A bad_request of a narrower scope is this model refusing a parameter: the next candidate may take it.
    if ((f.reason === 'bad_request' && f.scope === 'request') || (f.scope === 'request' && !f.retryable)) return fail('REQUEST_REJECTED');
    if (f.reason === 'content_policy' && policy.onContentPolicy === 'fail') return fail('REQUEST_REJECTED');
    if (f.reason === 'interrupted' && policy.onInterrupted === 'fail') return fail('REQUEST_REJECTED');

    // Block what the failure says to leave. A provider's answer comes with a fresh look at the
    // shared cooldowns; the streak is this key's failures: running cooldowns of others, or this run's.
    const blockKey: Key = keyFor(f.scope, f.reason, t);
    // A key whose cooldown (not this run's) had ended when the call started is probed once, never retried.
    const recovering = known.some((e) => e.until <= call.startedAt && covers(e, t) && !blocks.some((b) => sameKey(b.key, e)));
    if (call.result === 'fail') known = book.active(providers, now);
    // an ended cooldown still counts: only a success clears a key's failures
    const before = known.find((e) => sameKey(e, blockKey))?.failures ?? 0;
    const streak = Math.max(before + 1, calls.filter((x) => x.result !== 'reply' && covers(blockKey, x)).length);
    const wait = blockWaitMs(f, streak, now, policy);
    const shared = isShared(f, wait);
    // A timeout leaves the whole provider for this run: for the wait after the first, for good after the second.
    if (f.reason === 'timeout' && policy.onTimeout === 'next_provider') {
      const timeouts = calls.filter((x) => x.provider === t.provider && x.reason === 'timeout').length;
      blocks.push({ key: { provider: t.provider }, reason: f.reason, at: now, until: timeouts >= 2 ? Infinity : now + wait, shared: false });
    } else blocks.push({ key: blockKey, reason: f.reason, at: now, until: now + wait, shared });
    if (shared) {
      const entry = { ...blockKey, until: now + wait, reason: f.reason, failures: streak };
      const old = known.find((e) => sameKey(e, blockKey));
      // as the store keeps it: the later end wins
      known = [...known.filter((e) => e !== old), old && old.until > entry.until ? { ...entry, until: old.until } : entry];
      book.put(entry);
    }
    if (now >= deadline) return fail('DEADLINE_EXCEEDED');

    // A retry honours every block on the key: this run's and every cooldown known after the call.
    const freeAt = Math.max(now + wait, ...blocks.filter((b) => covers(b.key, t)).map((b) => b.until), ...known.filter((e) => covers(e, t)).map((e) => e.until));
    const delay = freeAt - now;
    const canRetry =
      !recovering &&
      RETRYABLE.has(f.reason) &&
      f.retryable &&
      callsOn(t) < policy.maxAttemptsPerCandidate &&
      delay <= policy.maxRetryWaitMs &&
      now + delay < deadline;
    // A wait goes to the key that frees up first: the retry of this one, or (for a reason that may
    // rotate) another profile of this candidate blocked for less; with nothing else left, any key
    // of the chain, an earlier candidate usable again included. Ties: this key, then chain order.
    const mayRotate = movesFor(f.reason).includes('rotate');
    const freeAtOf = (s: Spot): number | undefined => {
      const x = target(s);
      if (callsOn(x) >= policy.maxAttemptsPerCandidate) return undefined;
      const until = Math.max(now, ...blocks.filter((b) => covers(b.key, x)).map((b) => b.until), ...known.filter((e) => covers(e, x)).map((e) => e.until));
      return Number.isFinite(until) ? until : undefined;
    };
    const soonest = (retryIn: number | undefined, where: 'candidate' | 'chain'): { spot: Spot; delay: number } | undefined => {
      let best: { spot: Spot; at: number } | undefined = retryIn === undefined ? undefined : { spot: at, at: now + retryIn };
      chain.forEach((_, c) => {
        if (where === 'candidate' && c !== at.c) return;
        profilesOf(c).forEach((_, p) => {
          if (c === at.c && (p === at.p || !mayRotate)) return;
          const free = freeAtOf({ c, p });
          if (free === undefined || (where === 'candidate' && free <= now)) return;
          if (free - now > policy.maxRetryWaitMs || free >= deadline) return;
          if (!best || free < best.at) best = { spot: { c, p }, at: free };
        });
      });
      return best && { spot: best.spot, delay: Math.max(0, best.at - now) };
    };
    let waitFor: { spot: Spot; delay: number } | undefined;
    let move: 'retry' | 'rotate' | 'walk' | undefined;
    let rotateTo = -1;
    for (const m of movesFor(f.reason)) {
      if (m === 'retry' && canRetry) {
        move = 'retry';
        waitFor = soonest(delay, 'candidate');
      }
      if (m === 'rotate') {
        rotateTo = profilesOf(at.c).findIndex((_, p) => p !== at.p && usable(target({ c: at.c, p })));
        if (rotateTo >= 0) move = 'rotate';
      }
      if (m === 'escalate' && walk(at.c).pick) move = 'walk';
      if (move) break;
    }
    if (!move) {
      waitFor = soonest(canRetry ? delay : undefined, canRetry ? 'candidate' : 'chain');
      move = waitFor ? 'retry' : probeTarget() ? 'walk' : undefined;
    }
    if (!move) return fail('FALLBACK_EXHAUSTED');

    probe = false;
    if (move === 'walk') {
      step = 'walk';
      continue;
    }
    step = 'call';
    if (move === 'rotate') {
      at = { c: at.c, p: rotateTo };
      decisions.push({ kind: 'rotate', ...target(at) });
      continue;
    }
    const chosen = waitFor!;
    at = chosen.spot;
    decisions.push({ kind: 'retry', ...target(at) });
    if (abortAt < now + chosen.delay) {
      now = abortAt;
      return fail('RUN_ABORTED');
    }
    now += chosen.delay;
  }
  throw new Error('oracle: the reference run did not end (a bug in the oracle)');
}
