import type { AttemptRecord, CooldownKey, Decision, Message, ServedBy } from '../../src/index.js';
import type { FailureReason } from '../../src/index.js';

/** A cooldown a failed call shares, as the engine wrote it, its end relative to the failure. */
export interface SharedCooldown {
  key: CooldownKey;
  reason: FailureReason;
  failures: number;
  untilAfterMs: number;
}

export type FloorCall = { ok: true } | { ok: false; share: SharedCooldown | undefined; reread: string | undefined };

/**
 * What the floor's run does, taken from one run of the case on a scratch store (so the floor
 * writes the same rows: the same attempts, the same decisions, the same cooldowns). Attempts and
 * decisions are kept as the engine's objects: the floor turns them into their columns on every
 * run, as any code writing them must.
 */
export interface FloorPlan {
  /** Providers of the chain, whose cooldowns the run reads when it opens. */
  providers: readonly string[];
  calls: readonly FloorCall[];
  ending: 'succeeded' | 'failed';
  messages: readonly Message[];
  reply: Message;
  attempts: readonly AttemptRecord[];
  decisions: readonly Decision[];
  servedBy: ServedBy | undefined;
  error: { code: string; message: string } | undefined;
}
