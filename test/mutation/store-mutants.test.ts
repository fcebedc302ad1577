import { fc } from '@fast-check/vitest';
import { describe, it } from 'vitest';
import type { RunStore } from '../../src/store/types.js';
import type { Message } from '../../src/types.js';
import { raceArb } from '../arbitraries/races.js';
import { runRace } from '../property/harness/run-race.js';
import { runWorld } from '../property/harness/run-world.js';
import { fallbackReached, fallbackWorlds } from '../property/properties/fallback-reached.js';
import { nothingLost, sessionWorlds } from '../property/properties/nothing-lost.js';
import { checkNoInterleavedTurns, checkNoLostReply, checkSeesEarlierTurns } from '../property/properties/races.js';
import { expectToFail } from './expect-to-fail.js';
import { naiveSessionStore, type NaiveFlags } from './naive-session-store.js';

// Store-side mutants: a store wrapper, or the in-memory naive store with one flag set.
const races = fc.tuple(raceArb(), fc.scheduler());
const naive = (flags: NaiveFlags) => (messagesOf: (runId: string) => readonly Message[]) => naiveSessionStore(messagesOf, flags);

// bound to the real store: its methods are an object literal's, not a prototype's
const passThrough = (s: RunStore): RunStore => ({
  openRun: (a) => s.openRun(a),
  renewLease: (l, now, ttl, w) => s.renewLease(l, now, ttl, w),
  commitRun: (l, a) => s.commitRun(l, a),
  failRun: (l, a) => s.failRun(l, a),
  activeCooldowns: (p, now, w) => s.activeCooldowns(p, now, w),
  putCooldown: (e, w) => s.putCooldown(e, w),
  clearCooldowns: (k, w) => s.clearCooldowns(k, w),
});
const forgetsMessages = (s: RunStore): RunStore => ({ ...passThrough(s), commitRun: (lease, a) => s.commitRun(lease, { ...a, messages: [] }) });
const hidesCooldowns = (s: RunStore): RunStore => ({
  ...passThrough(s),
  openRun: async (a) => ({ ...(await s.openRun(a)), cooldowns: [] }),
  activeCooldowns: async () => [],
});

describe('each property fails against a store broken in the obvious way', () => {
  it('nothing lost ← the commit drops the run’s message(s)', () => expectToFail(sessionWorlds, (w) => nothingLost(w, (x) => runWorld(x, { wrapStore: forgetsMessages }))));

  it('fallback is always reached ← blocked candidates are not skipped (the cooldowns other runs left are ignored)', () =>
    expectToFail(fallbackWorlds, (w) => fallbackReached(w, (x) => runWorld(x, { wrapStore: hidesCooldowns }))));

  it('the naive store that holds the lease passes every race property (so the failures below are the flags’)', async () => {
    await fc.assert(
      fc.asyncProperty(races, async ([race, s]) => {
        const trace = await runRace(race, s, naive({}));
        checkNoInterleavedTurns(race, trace);
        checkNoLostReply(race, trace);
        checkSeesEarlierTurns(race, trace);
      }),
      { numRuns: 60, seed: 5, path: undefined },
    );
  });

  it('races: no interleaved turns ← the prompt is appended at open and the lease released until the reply', () =>
    expectToFail(races, async ([race, s]) => checkNoInterleavedTurns(race, await runRace(race, s, naive({ releaseLease: true, promptAtOpen: true })))));

  it('races: no lost reply ← the lease is released and the commit writes where the run read', () =>
    expectToFail(races, async ([race, s]) => checkNoLostReply(race, await runRace(race, s, naive({ releaseLease: true, staleSeq: true })))));

  it('races: a run sees earlier turns ← the lease is released between reading the history and the attempts', () =>
    expectToFail(races, async ([race, s]) => checkSeesEarlierTurns(race, await runRace(race, s, naive({ releaseLease: true })))));
});
