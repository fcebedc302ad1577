import { EventEmitter } from 'eventemitter3';
import type { FailureReason, FailureScope } from './classify/types.js';
import type { CooldownEntry, CooldownKey, ServedBy } from './types.js';

export interface RunEventBase {
  runId: string;
  /** Engine clock time of the event, ms. */
  at: number;
}

/** The (model, profile) an event is about. */
export interface RunEventTarget {
  provider: string;
  model: string;
  profileId: string;
}

export type SkipReason = 'cooldown' | 'failed_in_run' | 'attempt_budget';

/** Events that record a decision carry its sentence, the same as the output's `decisions[].detail`. */
export interface RunDecisionDetail {
  /** One human sentence: what was decided and why. The log line of the event says it. */
  detail: string;
}

/** Everything a run tells the world. Every call and every skip has one, with its reason. */
export type RunEvent =
  | (RunEventBase & RunEventTarget & { type: 'attempt.started'; attempt: number; probe: boolean })
  | (RunEventBase & RunEventTarget & { type: 'attempt.succeeded'; attempt: number; durationMs: number })
  | (RunEventBase &
      RunEventTarget & {
        type: 'attempt.failed';
        attempt: number;
        reason: FailureReason;
        scope: FailureScope;
        status?: number;
        retryAfterMs?: number;
        message: string;
        durationMs: number;
      })
  | (RunEventBase & RunEventTarget & RunDecisionDetail & { type: 'retry.scheduled'; reason: FailureReason; delayMs: number })
  | (RunEventBase &
      RunDecisionDetail & { type: 'profile.rotated'; provider: string; model: string; fromProfileId: string; toProfileId: string; reason: FailureReason })
  | (RunEventBase &
      RunDecisionDetail & {
        type: 'candidate.skipped';
        provider: string;
        model: string;
        reason: SkipReason;
        /** For `cooldown` / `failed_in_run`: the block and why it was set. */
        blockedBy?: CooldownKey & { reason: FailureReason; until: number };
      })
  | (RunEventBase &
      RunDecisionDetail & { type: 'model.escalated'; from?: { provider: string; model: string }; to: RunEventTarget; reason: string; probe: boolean })
  | (RunEventBase & { type: 'cooldown.set'; cooldown: CooldownEntry })
  | (RunEventBase & { type: 'cooldown.cleared'; keys: CooldownKey[] })
  | (RunEventBase & { type: 'reply.delta'; attempt: number; text: string })
  | (RunEventBase & { type: 'reply.reset'; attempt: number; reason: FailureReason })
  | (RunEventBase & { type: 'tool.started'; step: number; toolCallId: string; toolName: string })
  | (RunEventBase & {
      type: 'tool.finished';
      step: number;
      toolCallId: string;
      toolName: string;
      /** `error`: the tool threw (or its input was refused); the model gets the message as the result. */
      outcome: 'ok' | 'error';
      durationMs: number;
      /** For `error`: the message the model sees. */
      error?: string;
    })
  | (RunEventBase & RunDecisionDetail & { type: 'session.persisted'; sessionId: string; turns: number })
  | (RunEventBase & { type: 'run.succeeded'; sessionId: string; servedBy: ServedBy; attempts: number })
  | (RunEventBase & { type: 'run.failed'; sessionId: string; code: string; message: string; attempts: number });

export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** eventemitter3 listener map: `bus.on('candidate.skipped', (e) => ...)` is fully typed. */
export type RunEventMap = { [K in RunEventType]: [event: RunEventOf<K>] };

/** A bus that receives the events of every run it is passed to (`createRunActor({ events: bus })`). */
export type RunEventBus = EventEmitter<RunEventMap>;

export function createEventBus(): RunEventBus {
  return new EventEmitter<RunEventMap>();
}
