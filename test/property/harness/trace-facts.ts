import type { Pinned, World } from '../../arbitraries/world-types.js';
import type { ServedCall } from './world-call.js';

/** A scripted failure that reached the engine: the call was neither cut nor stopped first. */
export interface DeliveredFailure {
  index: number;
  call: ServedCall;
  pinned: Pinned;
  /** When the failure came back (simulated ms). */
  at: number;
}

export function deliveredFailures(calls: readonly ServedCall[]): DeliveredFailure[] {
  const out: DeliveredFailure[] = [];
  calls.forEach((call, index) => {
    if (call.outcome.kind === 'fail' && call.cutAt === undefined) {
      out.push({ index, call, pinned: call.outcome.pinned, at: call.startedAt + call.outcome.delayMs });
    }
  });
  return out;
}

export const sumOfProfiles = (w: World): number => w.chain.reduce((n, c) => n + w.profiles[c.provider]!.length, 0);

/** `provider/model` of each chain entry, the way the engine names candidates in messages. */
export const candidateNames = (w: World): string[] => w.chain.map((c) => `${c.provider}/${c.model}`);
