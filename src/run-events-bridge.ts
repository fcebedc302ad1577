import type { RunEvent, RunEventBus } from './events.js';
import { runLogLine } from './run-log-line.js';
import type { Logger } from './runtime.js';

/**
 * Forwards a run's events to the host's logger (one sentence per line, see runLogLine) and bus.
 * A throwing bus listener must never reach XState (it would rethrow from a timer and crash the
 * host), so it is reported through the run's `listenerThrew`, not raised. Message contents
 * (`reply.delta`) are never logged.
 */
export function forwardRunEvent(event: RunEvent, bus: RunEventBus | undefined, logger: Logger | undefined, run: { listenerThrew(err: unknown, where: string): void }): void {
  const line = logger && runLogLine(event);
  if (line) logger![line.level]({ event }, line.msg);
  if (!bus) return;
  try {
    bus.emit(event.type, event as never);
  } catch (err) {
    run.listenerThrew(err, `a listener of the events bus ('${event.type}')`);
  }
}
