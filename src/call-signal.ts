/**
 * The `signal` of a call's request: an own, enumerable accessor (a host's spread of `req` keeps
 * the signal) that makes the attempt's AbortSignal only when read (see EffectCut).
 *
 * Not a getter in the request's literal: V8 makes an object literal with an accessor a
 * dictionary-mode object, a ~450-byte property table per call, held while the call is in
 * flight (every parked run). Nor a getter closure per request given to defineProperty: a
 * different accessor on each object leaves V8 no shared shape, and it goes to dictionary mode
 * the same way. One getter for every request, finding its source in a private field, keeps
 * them all on one fast shape.
 */

/** What the request's signal is read from: the call's cut, or its stream watchdog. */
export interface SignalSource {
  readonly signal: AbortSignal;
  /** Whether the signal is (or would be) aborted, told without making it, when the source can (EffectCut). */
  readonly aborted?: boolean;
}

/** Returns the object it is given, so a subclass can put a private field on any object. */
class Carrier {
  constructor(target: object) {
    return target as Carrier;
  }
}

/** Puts the source on the request as a private field: invisible to the host (no key, no symbol). */
class SignalSourceOf extends Carrier {
  #source: SignalSource;

  constructor(target: object, source: SignalSource) {
    super(target);
    this.#source = source;
  }

  static signal(target: object): AbortSignal {
    return (target as SignalSourceOf).#source.signal;
  }

  static sourceOf(target: object): SignalSource | undefined {
    return #source in target ? (target as SignalSourceOf).#source : undefined;
  }
}

const SIGNAL: PropertyDescriptor = Object.freeze({
  get(this: object): AbortSignal {
    return SignalSourceOf.signal(this);
  },
  enumerable: true,
  configurable: true,
});

/**
 * Whether `target.signal` is aborted. A store's first try asks this (an aborted caller takes no
 * lease), and the engine's openRun arguments carry their signal lazily: it is made only when
 * the store must wait for the session and listens to it, not on every run to say "not aborted".
 */
export function signalAborted(target: { readonly signal?: AbortSignal | undefined }): boolean {
  const aborted = SignalSourceOf.sourceOf(target)?.aborted;
  return typeof aborted === 'boolean' ? aborted : target.signal?.aborted === true;
}

/** Gives `req` its own `signal` property, read from `source` when the host reads it. */
export function defineCallSignal<T extends object>(req: T, source: SignalSource): T & { readonly signal: AbortSignal } {
  new SignalSourceOf(req, source);
  return Object.defineProperty(req, 'signal', SIGNAL) as T & { readonly signal: AbortSignal };
}
