import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createRunActor, openSqliteStore, type RunOutput, type RunStore } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator } from '../../src/providers/emulator/index.js';
import { openAiCompatibleModel } from './helpers/models.js';

// A primary down for 60 s, runs every 4 s, one store, one simulated clock shared by the engine
// and the emulator's outage window: every run is served, the primary gets one call per cooldown
// window (the circuit's probe), and serves again soon after it recovers.

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const DOWN_FROM = 0;
const DOWN_UNTIL = 60_000;
const GAP = 4_000;
/** 4 s apart through the outage, then until 30 s after it: 23 runs. */
const RUNS = Math.floor((DOWN_UNTIL + 30_000) / GAP) + 1;

/** Runs the actor to its end, moving the simulated clock while it waits on a timer (a backoff), never while HTTP is under way. */
async function drive(clock: SimulatedClock, actor: ReturnType<typeof createRunActor>): Promise<RunOutput> {
  let out: RunOutput | undefined;
  actor.subscribe({ complete: () => (out = actor.getSnapshot().output) });
  actor.start();
  for (let i = 0; i < 10_000 && !out; i++) {
    await new Promise((r) => setTimeout(r, 2));
    if (!out && emu!.openConnections() === 0) clock.increment(50);
  }
  if (!out) throw new Error('the run did not end');
  return out;
}

describe('a flapping primary across runs sharing one store', () => {
  it('every run is served; one primary call per cooldown window during the outage; the primary serves again within 30 s', async () => {
    const clock = new SimulatedClock();
    const e = (emu = await startEmulator({
      now: () => clock.now(),
      scenario: [
        { provider: 'a', from: DOWN_FROM, until: DOWN_UNTIL, steps: [{ error: { status: 503, body: '{"error":{"message":"Service Unavailable","type":"server_error"}}' } }] },
        { provider: 'a', steps: [{ reply: 'primary' }] },
        { provider: 'b', steps: [{ reply: 'fallback' }] },
      ],
    }));
    const store: RunStore = openSqliteStore();
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(e, provider, model));
    const outs: RunOutput[] = [];
    for (let k = 0; k < RUNS; k++) {
      if (clock.now() < k * GAP) clock.increment(k * GAP - clock.now());
      const actor = createRunActor({ sessionId: `s${k}`, messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, store, clock });
      outs.push(await drive(clock, actor));
    }

    if (process.env.SHOW_TIMELINE) console.log(e.requests().map((r) => `${r.receivedAt}:${r.provider}:${r.outcome}`).join(' '), outs.map((o) => o.attempts.map((a) => `${a.startedAt}:${a.provider}${a.reason ? '!' + a.reason : ''}`).join(',')).join(' | '));
    expect(outs.map((o) => o.status)).toEqual(Array(RUNS).fill('succeeded'));
    const primary = e.requests().filter((r) => r.provider === 'a');
    const duringOutage = primary.filter((r) => r.receivedAt >= DOWN_FROM && r.receivedAt < DOWN_UNTIL);
    // Each primary call in the outage after the first failure is its key's probe: the runs
    // between two probes kept off it. Without the circuit every run called it (2-3 times).
    const runsCallingPrimary = outs.filter((o) => o.attempts.some((a) => a.provider === 'a' && a.startedAt >= DOWN_FROM && a.startedAt < DOWN_UNTIL));
    for (const o of runsCallingPrimary.slice(1)) expect(o.attempts.filter((a) => a.provider === 'a').length).toBe(1);
    expect(duringOutage.length).toBeLessThanOrEqual(8);
    // the backoff grows across runs: the gaps between probes never shrink
    const times = duringOutage.map((r) => r.receivedAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (let i = 2; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    // back on the primary soon after it recovered, and for good
    const firstBack = outs.findIndex((o) => o.status === 'succeeded' && o.servedBy.provider === 'a' && o.attempts[0]!.startedAt >= DOWN_UNTIL);
    expect(firstBack).toBeGreaterThan(0);
    expect(outs[firstBack]!.attempts.at(-1)!.startedAt).toBeLessThanOrEqual(DOWN_UNTIL + 30_000);
    expect(outs[firstBack]!.attempts.map((a) => a.provider)).toEqual(['a']);
    for (const o of outs.slice(firstBack)) expect(o.status === 'succeeded' && o.servedBy.provider).toBe('a');
  });
});
