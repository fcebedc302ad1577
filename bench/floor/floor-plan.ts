import type { AttemptRecord, CooldownKey, Message, ServedBy } from '../../src/index.js';
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
 * writes the same rows: the same attempts, the same decisions JSON, the same cooldowns).
 */
export interface FloorPlan {
  /** Providers of the chain, whose cooldowns the run reads when it opens. */
  providers: readonly string[];
  calls: readonly FloorCall[];
  ending: 'succeeded' | 'failed';
  messages: readonly Message[];
  reply: Message;
  attempts: readonly AttemptRecord[];
  decisionsJson: string;
  servedBy: ServedBy | undefined;
  error: { code: string; message: string } | undefined;
}
