import * as crypto from 'node:crypto';
import type { Signals } from './collect-signals.js';
import { KeyedHash } from './keyed-hash.js';
import type { ProseTiming } from './retry-timing.js';
import { FAMILY_TABLES } from './rules/index.js';
import type { RuleTable } from './rules/types.js';
import type { FailureReason, FailureScope } from './types.js';

/**
 * What a classification is apart from the clock and the caller's signal: everything the rules,
 * the message and the prose of the failure say. A run that fails the same way on every candidate
 * (a quota incident, a dead chain) meets the same words again and again; their rule matching,
 * scrubbing and prose reading are done once.
 *
 * Holds no provider text: the message and the code are scrubbed (what logs get), the prose is
 * read into numbers, and the memo's key is a keyed digest of the signals, not the signals.
 */
export interface TimelessClassification {
  readonly reason: FailureReason;
  readonly scope: FailureScope;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly message: string;
  readonly ignoresRetryHint: boolean;
  /** Waits named in the prose, unread (empty) when the provider's hint does not apply. */
  readonly prose: ProseTiming;
  /** The message was made from the thrown value itself (nothing else said anything): not for the memo. */
  readonly fromRoot: boolean;
}

/** Entries kept; each holds at most a 500-character message and a 100-character code. */
const MAX_ENTRIES = 256;
/** Characters of messages and codes kept, together: with MAX_ENTRIES, the bound in bytes. */
const MAX_CHARS = 64 * 1024;
/**
 * Signals whose codes and texts hold more characters than this are not memoised: a failure's own
 * words are a few hundred characters, and hashing a whole page (a proxy's HTML) on every call
 * costs more than the match it might save when the page is seen again.
 */
const MAX_DESCRIPTION_CHARS = 2 * 1024;

// Per process: a digest of a provider's words cannot be matched against guesses made elsewhere.
const KEY = crypto.randomBytes(8);
// One for the process: classification is synchronous, so no two keys are ever made at once.
const HASH = new KeyedHash(KEY.readUInt32LE(0), KEY.readUInt32LE(4));

const familyIndex = (family: RuleTable | undefined): number => (family === undefined ? -1 : FAMILY_TABLES.indexOf(family));

/** Feeds a text prefixed with its length, so that no two sequences of texts feed the same units. */
function feedText(text: string): void {
  HASH.unit(text.length & 0xffff);
  HASH.unit(text.length >>> 16);
  HASH.text(text);
}

/**
 * The memo's key: a keyed digest of everything the time-free part of a classification reads,
 * fed so that no two different inputs feed the same units: the family, the deciding status,
 * whether the thrower said "not retryable", the codes in order (each marked as a code or an
 * exception name) and the texts in the order the rules read them (by rank; the first is the
 * message), each prefixed with its length. Code units are hashed, not an encoding of them: a lone
 * surrogate is itself, as the rules see it.
 */
function keyOf(signals: Signals, family: RuleTable | undefined, status: number | undefined): number | undefined {
  let chars = 0;
  for (const c of signals.codes) chars += c.value.length;
  for (const t of signals.texts) chars += t.text.length;
  if (chars > MAX_DESCRIPTION_CHARS) return undefined;
  HASH.begin();
  HASH.unit(familyIndex(family) + 1);
  HASH.unit(status ?? 0);
  HASH.unit(signals.retryableFlags.includes(false) ? 1 : 0);
  HASH.unit(signals.codes.length);
  for (const c of signals.codes) {
    HASH.unit(c.fromName ? 1 : 0);
    feedText(c.value);
  }
  feedTextsByRank(signals.texts);
  return HASH.endAsNumber();
}

/**
 * The texts in rank order, those of a rank in their order (what a stable sort gives), without a
 * sorted copy: most failures' texts are in rank order already, and the others have few ranks.
 */
function feedTextsByRank(texts: Signals['texts']): void {
  let sorted = true;
  for (let i = 1; i < texts.length && sorted; i++) sorted = texts[i - 1]!.rank <= texts[i]!.rank;
  if (sorted) {
    for (const t of texts) feedText(t.text);
    return;
  }
  let rank = -Infinity;
  for (;;) {
    let next = Infinity;
    for (const t of texts) if (t.rank > rank && t.rank < next) next = t.rank;
    if (next === Infinity) return;
    for (const t of texts) if (t.rank === next) feedText(t.text);
    rank = next;
  }
}

/**
 * A bounded memo of time-free classifications by a keyed digest of their signals (keyOf),
 * emptied when full. Its entries are never changed once kept (every caller builds its own
 * Classification from one).
 */
export class ClassificationMemo {
  readonly #entries = new Map<number, TimelessClassification>();
  #chars = 0;

  /**
   * The memoised classification of these signals, or `make`'s, kept for the next time. `make` is
   * given the arguments it needs (`thrown` is the thrown value), so that no closure is made per
   * failure.
   */
  get<T>(
    signals: Signals,
    family: RuleTable | undefined,
    status: number | undefined,
    thrown: T,
    make: (signals: Signals, family: RuleTable | undefined, thrown: T) => TimelessClassification,
  ): TimelessClassification {
    const key = keyOf(signals, family, status);
    if (key === undefined) return make(signals, family, thrown);
    const known = this.#entries.get(key);
    if (known) return known;
    const made = make(signals, family, thrown);
    if (!made.fromRoot) this.#keep(key, made);
    return made;
  }

  #keep(key: number, entry: TimelessClassification): void {
    const chars = charsOf(entry);
    // Full: start again (one map operation per miss; a working set this large is not repeating itself).
    if (this.#entries.size >= MAX_ENTRIES || this.#chars + chars > MAX_CHARS) this.clear();
    this.#entries.set(key, entry);
    this.#chars += chars;
  }

  /** Entries and characters held (tests: the bounds hold). */
  get size(): { entries: number; chars: number } {
    return { entries: this.#entries.size, chars: this.#chars };
  }

  /** Every string the memo holds, keys included (tests: no provider text among them). */
  held(): string[] {
    return [...this.#entries].flatMap(([key, e]) => [String(key), e.message, ...(e.code === undefined ? [] : [e.code])]);
  }

  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }
}

const charsOf = (e: TimelessClassification): number => e.message.length + (e.code?.length ?? 0);

export const MEMO_BOUNDS = { entries: MAX_ENTRIES, chars: MAX_CHARS } as const;
