import type { RunEvent, RunEventBus } from './events.js';
import type { Logger } from './runtime.js';

const DECISIONS = new Set<RunEvent['type']>([
  'retry.scheduled',
  'profile.rotated',
  'candidate.skipped',
  'model.escalated',
  'cooldown.set',
  'cooldown.cleared',
  'session.persisted',
  'run.succeeded',
  'run.failed',
]);
const ATTEMPTS = new Set<RunEvent['type']>(['attempt.started', 'attempt.succeeded', 'attempt.failed', 'reply.reset']);

/**
 * Forwards a run's events to the host's bus and logger. A throwing listener must never reach
 * XState (it would rethrow from a timer and crash the host), so failures are logged, not raised.
 * Message contents (reply.delta) are never logged.
 */
export function bridgeRunEvents(bus: RunEventBus | undefined, logger: Logger | undefined, listenerThrew: (err: unknown, where: string) => void) {
  return (event: RunEvent): void => {
    if (logger) {
      if (DECISIONS.has(event.type)) logger.info({ event }, event.type);
      else if (ATTEMPTS.has(event.type)) logger.debug({ event }, event.type);
    }
    if (!bus) return;
    try {
      bus.emit(event.type, event as never);
    } catch (err) {
      listenerThrew(err, `a listener of the events bus ('${event.type}')`);
    }
  };
}
