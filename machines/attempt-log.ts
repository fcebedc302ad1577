import type { Classification, FailureReason, FailureScope } from '../src/classify/types.js';
import type { AttemptFacts, AttemptsRead } from '../src/policy/run-view.js';
import type { AttemptRecord, Usage } from '../src/types.js';
import { appended, compactNumber } from './held-values.js';
import { PerCandidate } from './per-candidate.js';
import { appendedInPlace, appendedPairInPlace } from '../src/policy/append-in-place.js';

/**
 * A run's attempts as it holds them in flight. A run keeps every attempt record to its end and
 * waits on provider calls most of its life, so what a record costs while held is paid by every
 * run in flight: as a plain object about 124 bytes, and a dead chain's run holds one per failed
 * candidate. Its fields but the number and the two times are the same for every run that calls
 * a candidate and fails it the same way (the classification memo already shares the message), so
 * they are one frozen part shared by those runs, and the log holds that part and the two times
 * (about 20 bytes a call). The plain records are made when the run's attempts are read (stored,
 * output, errors): the same objects, keys in the same order, as a step used to append
 * (machines/decision-log.ts does the same for decisions).
 */

/** A call's record without its number and times: `{ n, provider, model, profileId, outcome, ...failure, startedAt, durationMs[, probe][, streamed] }`. */
export class AttemptPart implements AttemptFacts {
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly profileId: string,
    readonly outcome: 'succeeded' | 'failed',
    /** The failure's (undefined for a success, whose record has no such keys). */
    readonly reason: FailureReason | undefined,
    readonly scope: FailureScope | undefined,
    readonly message: string | undefined,
    /** undefined: the record has no `status` key. */
    readonly status: number | undefined,
    readonly probe: boolean,
    readonly streamed: boolean,
  ) {
    Object.freeze(this);
  }
}

/** The call being recorded: its key, when it started, and what the run knows of it. */
export interface CallFacts {
  provider: string;
  model: string;
  profileId: string;
  startedAt: number;
  durationMs: number;
  /** Absent (or undefined) for a success. */
  failure?: Classification | undefined;
  /** The call probed a cooling-down candidate. */
  probe: boolean;
  /** Text of the call reached the host. */
  streamed: boolean;
  usage?: Usage | undefined;
}

/**
 * The record of a call, as the run step made it: literals of the record's usual shapes, the rare
 * flags added after (spreading conditional literals into one made V8 copy each part the slow,
 * generic way). Key order is what a host sees in JSON: it must stay as it is.
 */
function recordOf(n: number, p: AttemptPart | CallFacts, startedAt: number, durationMs: number, usage: Usage | undefined): AttemptRecord {
  const { provider, model, profileId } = p;
  // the failure's fields: the part's own, or the call's classification
  const f = p instanceof AttemptPart ? (p.outcome === 'failed' ? p : undefined) : p.failure;
  const a: AttemptRecord = !f
    ? { n, provider, model, profileId, outcome: 'succeeded', startedAt, durationMs }
    : f.status !== undefined
      ? { n, provider, model, profileId, outcome: 'failed', reason: f.reason, scope: f.scope, message: f.message, status: f.status, startedAt, durationMs }
      : { n, provider, model, profileId, outcome: 'failed', reason: f.reason, scope: f.scope, message: f.message, startedAt, durationMs };
  if (p.probe) a.probe = true;
  if (p.streamed) a.streamed = true;
  if (usage) a.usage = usage;
  return a;
}

/** Candidates whose last few parts are kept, at most (machines/per-candidate.ts). */
const parts = new PerCandidate<AttemptPart[]>(4096);
/** Parts kept per candidate: its profiles and the ways it fails (most recent first). */
const PARTS_PER_CANDIDATE = 4;

function same(p: AttemptPart, c: CallFacts): boolean {
  const f = c.failure;
  return (
    p.profileId === c.profileId &&
    p.probe === c.probe &&
    p.streamed === c.streamed &&
    (f === undefined
      ? p.outcome === 'succeeded'
      : p.outcome === 'failed' && p.reason === f.reason && p.scope === f.scope && p.status === f.status && p.message === f.message)
  );
}

/** The part of this call: the one the last run that ended a call of this candidate the same way got. */
function partOf(c: CallFacts): AttemptPart {
  const known = parts.get(c.provider, c.model);
  if (known) {
    for (let i = 0; i < known.length; i++) if (same(known[i]!, c)) return known[i]!;
  }
  const f = c.failure;
  const part = f
    ? new AttemptPart(c.provider, c.model, c.profileId, 'failed', f.reason, f.scope, f.message, f.status, c.probe, c.streamed)
    : new AttemptPart(c.provider, c.model, c.profileId, 'succeeded', undefined, undefined, undefined, undefined, c.probe, c.streamed);
  // a new list, not one changed in place: exactly its size, and nothing else holds the old one
  parts.set(c.provider, c.model, known ? [part].concat(known.slice(0, PARTS_PER_CANDIDATE - 1)) : [part]);
  return part;
}

type Held = AttemptPart | AttemptRecord;

/** A run's attempts in order, never changed in place: each append makes a new log (the machine's context is copied, not mutated). */
export class AttemptLog implements AttemptsRead {
  /** The log of a run that has called nothing yet. */
  static get EMPTY(): AttemptLog {
    return EMPTY;
  }

  /**
   * A part (its record's `n` is its place) or a record held as it is (with usage, or appended as a
   * record). Its first `#n` entries: the list may go on with a later log's (src/policy/append-in-place.ts).
   */
  readonly #held: readonly Held[];
  /** startedAt and durationMs of each entry, in turn: one list of numbers (8 bytes each, not boxed); its first 2 × `#n`. */
  readonly #times: readonly number[];
  readonly #n: number;
  /** The records once read: a run reads them at its end (stored, error, output), made once for all. */
  #records: AttemptRecord[] | undefined;

  /** Use EMPTY and append: a log is built only by appending. */
  constructor(held: readonly Held[], times: readonly number[], n: number, records?: AttemptRecord[]) {
    this.#held = held;
    this.#times = times;
    this.#n = n;
    this.#records = records;
  }

  /** A log of these records, held as they are (tests, and hosts' fixtures). */
  static of(records: readonly AttemptRecord[]): AttemptLog {
    return records.reduce((log, r) => log.append(r), EMPTY);
  }

  get length(): number {
    return this.#n;
  }

  /** This log followed by `record`, held as it is. */
  append(record: AttemptRecord): AttemptLog {
    return this.#with(record, record.startedAt, record.durationMs, record);
  }

  /**
   * This log followed by the record of a call, numbered next (`n` is the new length): a shared
   * part and the two times, or (with usage, its own to the call) the record itself.
   */
  appendCall(c: CallFacts): AttemptLog {
    const durationMs = compactNumber(c.durationMs);
    if (c.usage) {
      const record = recordOf(this.#n + 1, c, c.startedAt, durationMs, c.usage);
      return this.#with(record, c.startedAt, durationMs, record);
    }
    return this.#with(partOf(c), c.startedAt, durationMs);
  }

  #with(held: Held, startedAt: number, durationMs: number, plain?: AttemptRecord): AttemptLog {
    // a log already read keeps what was made
    const n = this.#n;
    const records = this.#records && appended(this.#records, plain ?? this.#recordAt(held, n, startedAt, durationMs));
    return new AttemptLog(appendedInPlace(this.#held, n, held), appendedPairInPlace(this.#times, 2 * n, startedAt, durationMs), n + 1, records);
  }

  #recordAt(h: Held, i: number, startedAt: number, durationMs: number): AttemptRecord {
    // compactNumber again: read from the list of doubles, a 3 is a double, and one stored boxed
    // makes V8 box `durationMs` in every record of the shape from then on (machines/held-values.ts)
    return h instanceof AttemptPart ? recordOf(i + 1, h, startedAt, compactNumber(durationMs), undefined) : h;
  }

  /** The facts of call `i` the policy reads: the shared part or the record, nothing made. */
  factsAt(i: number): AttemptFacts {
    return this.#held[i]!;
  }

  /** Whether text of call `i` reached the host. */
  streamedAt(i: number): boolean {
    return this.#held[i]!.streamed === true;
  }

  /** The number of call `i` (its place, 1-based, but for a record appended as it is). */
  nAt(i: number): number {
    const h = this.#held[i]!;
    return h instanceof AttemptPart ? i + 1 : h.n;
  }

  /** Call `i`'s record (negative: from the end, as Array.prototype.at); a new object unless the log was read. */
  at(i: number): AttemptRecord | undefined {
    const k = i < 0 ? this.#n + i : i;
    if (k < 0 || k >= this.#n) return undefined;
    return this.#records?.[k] ?? this.#recordAt(this.#held[k]!, k, this.#times[2 * k]!, this.#times[2 * k + 1]!);
  }

  /** The records as plain objects, in order. The same array on every read of a log (but the empty one). */
  toArray(): AttemptRecord[] {
    // the empty log is every run's first: what it gave a host (who may push onto it) is not kept
    if (this.#n === 0) return [];
    if (!this.#records) {
      const held = this.#held;
      const times = this.#times;
      const records: AttemptRecord[] = new Array<AttemptRecord>(this.#n);
      for (let i = 0; i < this.#n; i++) records[i] = this.#recordAt(held[i]!, i, times[2 * i]!, times[2 * i + 1]!);
      this.#records = records;
    }
    return this.#records;
  }

  /** What JSON.stringify and the inspector show: the records. */
  toJSON(): AttemptRecord[] {
    return this.toArray();
  }
}

const EMPTY = new AttemptLog([], [], 0);
