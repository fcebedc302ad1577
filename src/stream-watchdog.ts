import type { RunClock } from './runtime.js';

/** Thrown (internally) in place of the host call's result when a streamed call went silent. */
export class StreamSilence extends Error {
  override readonly name = 'StreamSilence';
}

export interface StreamWatchdog {
  /** The signal the host call gets: aborts with the attempt's signal, or when the watchdog fires. */
  readonly signal: AbortSignal;
  /** The stream showed a sign of life (any delta): the idle limit starts again. */
  activity(): void;
  /** Settles like `call`, or rejects with StreamSilence as soon as a limit passes (a hung call never settles). */
  race<T>(call: Promise<T>): Promise<T>;
  /** The error `race` rejected with when a limit passed (compared by identity: a host's thrown Proxy must not be touched). */
  readonly silence: StreamSilence | undefined;
  stop(): void;
}

/**
 * The two limits of a streamed call, on the run's clock (a SimulatedClock in tests): no activity
 * within `firstTokenMs` of the start, or none for `idleMs` after the last one. Either cuts the call.
 */
export function watchStream(clock: RunClock, parent: AbortSignal, firstTokenMs: number, idleMs: number): StreamWatchdog {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  let fire!: (err: StreamSilence) => void;
  const fired = new Promise<never>((_, reject) => (fire = reject));
  fired.catch(() => undefined);
  let timer: unknown;
  let done = false;
  let silence: StreamSilence | undefined;

  const arm = (ms: number, message: string) => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (done) return;
      done = true;
      silence = new StreamSilence(message);
      fire(silence);
      controller.abort(new DOMException(message, 'TimeoutError'));
    }, ms);
  };
  arm(firstTokenMs, `no first token within ${firstTokenMs} ms (firstTokenTimeoutMs)`);

  return {
    get silence() {
      return silence;
    },
    signal: controller.signal,
    activity: () => {
      if (!done) arm(idleMs, `the stream went silent for ${idleMs} ms (streamIdleTimeoutMs)`);
    },
    race: <T>(call: Promise<T>): Promise<T> => {
      // the call's own end after a cut is nobody's business, but must not be an unhandled rejection
      call.catch(() => undefined);
      return Promise.race([call, fired]);
    },
    stop: () => {
      done = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
