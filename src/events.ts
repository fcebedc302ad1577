import { EventEmitter } from 'eventemitter3';
import type { FailureReason, FailureScope } from './classify/types.js';
import type { CooldownEntry, CooldownKey, ServedBy } from './types.js';

interface Base {
  runId: string;
  /** Engine clock time of the event, ms. */
  at: number;
}

interface At {
  provider: string;
  model: string;
  profileId: string;
}

export type SkipReason = 'cooldown' | 'failed_in_run' | 'attempt_budget';

/** Everything a run tells the world. Every call and every skip has one, with its reason. */
export type RunEvent =
  | (Base & At & { type: 'attempt.started'; attempt: number; probe: boolean })
  | (Base & At & { type: 'attempt.succeeded'; attempt: number; durationMs: number })
  | (Base &
      At & {
        type: 'attempt.failed';
        attempt: number;
        reason: FailureReason;
        scope: FailureScope;
        status?: number;
        retryAfterMs?: number;
        message: string;
        durationMs: number;
      })
  | (Base & At & { type: 'retry.scheduled'; reason: FailureReason; delayMs: number })
  | (Base & { type: 'profile.rotated'; provider: string; model: string; fromProfileId: string; toProfileId: string; reason: FailureReason })
  | (Base & {
      type: 'candidate.skipped';
      provider: string;
      model: string;
      reason: SkipReason;
      /** For `cooldown` / `failed_in_run`: the block and why it was set. */
      blockedBy?: CooldownKey & { reason: FailureReason; until: number };
    })
  | (Base & { type: 'model.escalated'; from?: { provider: string; model: string }; to: At; reason: string; probe: boolean })
  | (Base & { type: 'cooldown.set'; cooldown: CooldownEntry })
  | (Base & { type: 'cooldown.cleared'; keys: CooldownKey[] })
  | (Base & { type: 'reply.delta'; attempt: number; text: string })
  | (Base & { type: 'reply.reset'; attempt: number; reason: FailureReason })
  | (Base & { type: 'session.persisted'; sessionId: string; turns: number })
  | (Base & { type: 'run.succeeded'; sessionId: string; servedBy: ServedBy; attempts: number })
  | (Base & { type: 'run.failed'; sessionId: string; code: string; message: string; attempts: number });

export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** eventemitter3 listener map: `bus.on('candidate.skipped', (e) => ...)` is fully typed. */
export type RunEventMap = { [K in RunEventType]: [event: RunEventOf<K>] };

/** A bus that receives the events of every run it is passed to (`createRunActor({ events: bus })`). */
export type RunEventBus = EventEmitter<RunEventMap>;

export function createEventBus(): RunEventBus {
  return new EventEmitter<RunEventMap>();
}
