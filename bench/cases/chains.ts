import { EngineRuns } from '../engine/engine-runs.js';
import type { BenchCase } from '../harness/types.js';
import { median } from '../harness/stats.js';
import { engineContender } from './contenders.js';
import { persistedRunCase } from './persisted-run.js';
import { coolingProvider, deadChain, skippedChain } from './scenarios.js';
import { freshSessions, openCaseStorage } from './storage.js';
import type { Scenario } from '../engine/engine-runs.js';

const FAR_FUTURE_MS = 10 * 365 * 86_400_000;

/** A reference timed in the same rounds as the case: the engine on another scenario, its own store. */
function reference(label: string, scenario: Scenario) {
  return async () => {
    const storage = await openCaseStorage('memory');
    const runs = new EngineRuns(storage.store, scenario);
    return { contenders: [engineContender(label, runs, freshSessions('r'))], close: storage.close };
  };
}

/** Round-by-round ratio of the subject to the first reference. */
const pairedToReference = (subject: readonly number[], ref: readonly number[]) => median(subject.map((s, i) => s / ref[i]!));

/** Chains of 2/8/32/128 candidates that each fail once: cost must grow linearly with the length. */
export function deadChainCases(): BenchCase[] {
  return [2, 8, 32, 128].map((length) =>
    persistedRunCase({
      name: `dead-chain/${length}`,
      title: `${length} candidates of ${length} providers, each with its quota spent: ${length} calls, the run fails exhausted`,
      scenario: deadChain(length),
      storage: 'memory',
      ...(length > 2
        ? {
            others: reference('dead chain of 2', deadChain(2)),
            figures: (r) => [
              { id: 'vs-dead-chain-2', label: `vs a dead chain of 2 (same rounds; linear is ≤ ${length / 2}x)`, value: pairedToReference(r.subject.rounds, r.others[0]!.rounds), unit: 'x' },
              { id: 'per-failed-candidate', label: 'per failed candidate beyond 2', value: (r.subject.usPerRun - r.others[0]!.usPerRun) / (length - 2), unit: 'µs' },
            ],
          }
        : {}),
    }),
  );
}

/** Chains whose candidates but the last are cooling down (known cooldowns): each is skipped without a call. */
export function skippedChainCases(): BenchCase[] {
  return [8, 32, 128].map((length) =>
    persistedRunCase({
      name: `skipped-chain/${length}`,
      title: `${length - 1} candidates skipped by known cooldowns, the last answers: 1 call`,
      scenario: skippedChain(length),
      storage: 'memory',
      seed: async (store, floor) => {
        const until = Date.now() + FAR_FUTURE_MS;
        for (let i = 0; i < length - 1; i++) {
          const entry = { provider: coolingProvider(i), until, reason: 'quota_exhausted' as const, failures: 1 };
          await store.putCooldown(entry);
          floor?.cooldowns.put(entry);
        }
      },
      others: reference('the answering candidate alone', skippedChain(1)),
      figures: (r) => [
        { id: 'per-skipped-candidate', label: 'per skipped candidate', value: (r.subject.usPerRun - r.others[0]!.usPerRun) / (length - 1), unit: 'µs' },
      ],
    }),
  );
}
