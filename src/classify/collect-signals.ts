import { LIMITS } from './limits.js';
import { readBody } from './read-body.js';
import { type HeaderMap, NO_HEADERS, readHeaders } from './read-headers.js';
import { parseAbsolute, parseProtoDuration, parseSeconds, type TimingHint } from './retry-timing.js';

export interface CodeSignal {
  value: string;
  /** From an exception name rather than a code field: kept out of `Classification.code` when a code exists. */
  fromName: boolean;
}

/** Lower rank = better source to quote as the message. */
export interface TextSignal {
  text: string;
  rank: number;
}

/**
 * Everything the rules look at, gathered from whatever shape was thrown. A list with no entry is
 * one shared empty list (and `headers` one shared empty map): the walk makes a list when it adds
 * the first entry, since most lists of a failure stay empty and a pushed-to empty array grows a
 * 17-slot store for its one entry.
 */
export interface Signals {
  /** HTTP statuses from structured fields (`status`, `statusCode`, `$metadata.httpStatusCode`), outermost first. */
  statuses: readonly number[];
  /** Statuses a body states (`error.code: 429` inside an HTTP 200 stream). */
  bodyStatuses: readonly number[];
  /** A status named in prose: `HTTP 429`, `Provider API error (503)`, `529 API is busy`. */
  textStatuses: readonly number[];
  codes: readonly CodeSignal[];
  texts: readonly TextSignal[];
  headers: HeaderMap;
  timing: readonly TimingHint[];
  /** `isRetryable` / `retryable` / `x-should-retry` as the thrower stated them. */
  retryableFlags: readonly boolean[];
}

const NONE: readonly never[] = [];

/** `list` with `v` added: the shared empty list is never written, a list of one is made for it. */
function added<T>(list: readonly T[], v: T): readonly T[] {
  if (list.length === 0) return [v];
  (list as T[]).push(v);
  return list;
}

const GENERIC_NAMES = new Set([
  '', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  'DOMException', 'Object', 'Array', 'APIError', 'AI_APICallError', 'AI_RetryError', 'RetryError', 'APICallError',
  'LlmFailoverError', 'FailoverError', 'HTTPError', 'HttpError', 'ResponseError', 'FetchError', 'Response',
]);

const NORMAL_FINISH = /^(stop|length|tool_calls|function_call|end_turn|max_tokens|stop_sequence|tool_use|finish_reason_unspecified|blocked_reason_unspecified|pause_turn)$/i;
const MESSAGE_KEYS = ['message', 'Message', 'msg', 'detail', 'error_description', 'errorMessage', 'error_msg', 'errorMsg', 'statusText'];
const STATUS_KEYS = ['status', 'statusCode', 'status_code', 'httpStatus', 'httpStatusCode'];
const CODE_KEYS = ['code', 'type', 'error_type', 'errorType', '__type', 'errorCode', 'error_code', 'reason', 'limit_source', 'Code'];
const NESTED_KEYS = ['error', 'detail', 'cause', 'lastError', 'errors', 'response', 'body', 'responseBody', 'data', 'details', 'innererror', 'innerError', 'metadata', 'raw', 'choices', 'candidates', 'promptFeedback', 'provider_specific_fields', '$metadata', 'originalError', 'violations', 'delta'];
const BODY_KEYS = new Set(['error', 'detail', 'body', 'responseBody', 'data', 'details', 'innererror', 'innerError', 'metadata', 'raw', 'choices', 'candidates', 'promptFeedback', 'provider_specific_fields']);
const HEADER_KEYS = ['headers', 'responseHeaders'];

/** `"429"`, `429` → 429; anything outside 100..599 is not an HTTP status. */
function asStatus(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{3}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

const TEXT_STATUS_PATTERNS: readonly RegExp[] = [
  /^\s*(?:http\s*)?([45]\d\d)\b/i,
  /\bhttp[ /]?(?:1\.[01] |2 )?([45]\d\d)\b/i,
  /\(([45]\d\d)\)/,
  /\bstatus(?: code)?[:= ]\s*([45]\d\d)\b/i,
  /\b([45]\d\d) status code\b/i,
];

function statusInText(text: string): number | undefined {
  const head = text.slice(0, 300);
  if (!/[45]\d\d/.test(head)) return undefined;
  for (const re of TEXT_STATUS_PATTERNS) {
    const m = re.exec(head);
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}

/** Some gateways send the message URL-encoded (`Incorrect%20API%20key`): read it as words. */
function decodePercent(text: string): string {
  return text.includes('%20') ? text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

function isBytes(v: object): v is Uint8Array {
  return ArrayBuffer.isView(v) && v instanceof Uint8Array;
}

const FINISH_KEYS = ['finish_reason', 'finishReason', 'blockReason', 'block_reason', 'stop_reason'];
const QUOTA_NAME_KEYS = ['quotaId', 'quotaMetric'];
const QUOTA_VALUE_KEYS = ['quota_limit_value', 'quotaValue'];
const RETRYABLE_KEYS = ['isRetryable', 'retryable'];
const SECONDS_KEYS = ['resets_in_seconds', 'reset_after_seconds', 'retry_after_seconds', 'retry_after', 'retryAfter', 'estimated_time'];
const MS_KEYS = ['retry_after_ms', 'retryAfterMs'];
const DELAY_KEYS = ['retryDelay', 'retry_delay'];
const RESET_AT_KEYS = ['resets_at', 'reset_at', 'resetsAt'];

/** Every key the walk reads: an object is asked for these and nothing else. */
const READ_KEYS: ReadonlySet<string> = new Set([
  'name', ...STATUS_KEYS, ...CODE_KEYS, ...FINISH_KEYS, ...QUOTA_NAME_KEYS, ...QUOTA_VALUE_KEYS, ...MESSAGE_KEYS,
  ...RETRYABLE_KEYS, ...HEADER_KEYS, ...SECONDS_KEYS, ...MS_KEYS, ...DELAY_KEYS, ...RESET_AT_KEYS, ...NESTED_KEYS,
]);

interface ProtoInfo {
  /** Read keys the prototype chain defines (getters of `DOMException`, `Response`; `Error.prototype.name`). */
  keys: readonly string[];
  constructorName: string | undefined;
}

// Per prototype, once: what its chain defines among the read keys. Class instances (SDK errors,
// DOMException, fetch Response) may answer a key from a getter their own keys do not list.
const PROTO_INFO = new WeakMap<object, ProtoInfo>();

function protoInfo(proto: object): ProtoInfo {
  let info = PROTO_INFO.get(proto);
  if (info) return info;
  const keys = new Set<string>();
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const key of Object.getOwnPropertyNames(p)) if (READ_KEYS.has(key)) keys.add(key);
  }
  info = { keys: [...keys], constructorName: constructorName(proto) };
  PROTO_INFO.set(proto, info);
  return info;
}

function constructorName(proto: object): string | undefined {
  try {
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}


/** What a key means to the walk. */
const Step = {
  Status: 0,
  Code: 1,
  Finish: 2,
  QuotaName: 3,
  QuotaValue: 4,
  Message: 5,
  Retryable: 6,
  Headers: 7,
  Seconds: 8,
  Ms: 9,
  Delay: 10,
  ResetAt: 11,
  Nested: 12,
} as const;
type Step = (typeof Step)[keyof typeof Step];

/** Every (key, meaning) pair, in the order an object's fields are read. A key may mean two things (`detail`). */
const STEPS: ReadonlyArray<readonly [string, Step]> = [
  ...STATUS_KEYS.map((k) => [k, Step.Status] as const),
  ...CODE_KEYS.map((k) => [k, Step.Code] as const),
  ...FINISH_KEYS.map((k) => [k, Step.Finish] as const),
  ...QUOTA_NAME_KEYS.map((k) => [k, Step.QuotaName] as const),
  ...QUOTA_VALUE_KEYS.map((k) => [k, Step.QuotaValue] as const),
  ...MESSAGE_KEYS.map((k) => [k, Step.Message] as const),
  ...RETRYABLE_KEYS.map((k) => [k, Step.Retryable] as const),
  ...HEADER_KEYS.map((k) => [k, Step.Headers] as const),
  ...SECONDS_KEYS.map((k) => [k, Step.Seconds] as const),
  ...MS_KEYS.map((k) => [k, Step.Ms] as const),
  ...DELAY_KEYS.map((k) => [k, Step.Delay] as const),
  ...RESET_AT_KEYS.map((k) => [k, Step.ResetAt] as const),
  ...NESTED_KEYS.map((k) => [k, Step.Nested] as const),
];

const STEP_AT = new Map<string, number[]>();
STEPS.forEach(([key], at) => STEP_AT.set(key, [...(STEP_AT.get(key) ?? []), at]));

/** Every read key, with the STEPS it means (none for `name`): one lookup tells whether a key is read and what it means. */
const KEY_STEPS: ReadonlyMap<string, readonly number[]> = new Map([...READ_KEYS].map((key) => [key, STEP_AT.get(key) ?? []]));

/** A field's place in the walk's field lists fits below this (an object answers at most every read key once). */
const FIELD_SLOTS = 128;
if (READ_KEYS.size > FIELD_SLOTS) throw new Error('collect-signals: more read keys than field slots');

/** Values seen are listed up to this many, then put in a Set: most failures visit a handful. */
const FEW = 16;

/**
 * What a walk has seen (objects, strings, texts): a list searched by `===` while it is short, a
 * Set once it is long, so a cyclic or repetitive graph stays linear. A Set made per walk for
 * three or four entries was a good part of what classifying a failure allocated.
 */
class Seen<T> {
  readonly #items: T[] = [];
  #count = 0;
  #set: Set<T> | undefined;

  /** Whether `v` is seen for the first time; it is seen from now on. */
  add(v: T): boolean {
    const set = this.#set;
    if (set !== undefined) {
      if (set.has(v)) return false;
      set.add(v);
      return true;
    }
    const items = this.#items;
    const count = this.#count;
    for (let i = 0; i < count; i++) if (items[i] === v) return false;
    if (count < FEW) {
      items[count] = v;
      this.#count = count + 1;
      return true;
    }
    const made = new Set<T>();
    for (let i = 0; i < count; i++) made.add(items[i]!);
    made.add(v);
    this.#set = made;
    return true;
  }

  /** Forgets everything (the list keeps its slots, emptied: no provider value outlives its walk). */
  clear(): void {
    const items = this.#items;
    for (let i = 0; i < this.#count; i++) items[i] = undefined as T;
    this.#count = 0;
    this.#set = undefined;
  }
}

/** A walk's queue of values to visit grows past this only on large graphs: such a queue is not kept for the next walk. */
const KEPT_QUEUE = 256;

/**
 * One walk's state. The walk reuses one (its lists emptied after each walk, so it holds no
 * provider value between failures); a walk started while another runs (a getter of the thrown
 * value that classifies something) makes its own.
 *
 * The queue is two parallel lists (the value, and its depth and whether it is inside a body as
 * one number), and an object's fields are read into `keys`/`values`, whose entries are valid up
 * to `fields`: a record per queued value and two arrays per object visited were most of what
 * classifying a failure allocated.
 */
class Walk {
  s: Signals = EMPTY_SIGNALS;
  queued: unknown[] = [];
  /** `depth * 2 + (inBody ? 1 : 0)`, per queued value. */
  where: number[] = [];
  count = 0;
  readonly objects = new Seen<object>();
  readonly texts = new Seen<string>();
  readonly strings = new Seen<string>();
  readonly keys: string[] = [];
  readonly values: unknown[] = [];
  /** The STEPS each field means (KEY_STEPS). */
  readonly stepsOf: Array<readonly number[]> = [];
  fields = 0;
  /** The most fields an object of this walk answered: the entries of `keys`/`values` to empty. */
  mostFields = 0;
  /** The steps of the fields present, each `STEPS index * FIELD_SLOTS + field index`, ascending. */
  readonly steps: number[] = [];

  /** Empties the walk for the next (its lists keep their slots unless a large graph grew them). */
  reset(): void {
    this.s = EMPTY_SIGNALS;
    if (this.queued.length > KEPT_QUEUE) {
      this.queued = [];
      this.where = [];
    } else for (let i = 0; i < this.count; i++) this.queued[i] = undefined;
    this.count = 0;
    this.objects.clear();
    this.texts.clear();
    this.strings.clear();
    for (let i = 0; i < this.mostFields; i++) {
      this.keys[i] = '';
      this.values[i] = undefined;
    }
    this.fields = 0;
    this.mostFields = 0;
  }
}

const EMPTY_SIGNALS: Signals = { statuses: NONE, bodyStatuses: NONE, textStatuses: NONE, codes: NONE, texts: NONE, headers: NO_HEADERS, timing: NONE, retryableFlags: NONE };

/** The walk reused by the next collectSignals; undefined while it runs. */
let freeWalk: Walk | undefined = new Walk();

/** The value read for `key`, if the object answered it. */
function fieldValue(w: Walk, key: string): unknown {
  for (let i = 0; i < w.fields; i++) if (w.keys[i] === key) return w.values[i];
  return undefined;
}

/** Reads `key` (meaning `steps`) of `obj` once (a later read of a key replaces the earlier one, in its place). */
function readField(w: Walk, obj: object, key: string, steps: readonly number[]): void {
  try {
    const v = (obj as Record<string, unknown>)[key];
    if (v === undefined) return;
    for (let i = 0; i < w.fields; i++) {
      if (w.keys[i] === key) {
        w.values[i] = v;
        return;
      }
    }
    w.keys[w.fields] = key;
    w.values[w.fields] = v;
    w.stepsOf[w.fields] = steps;
    if (++w.fields > w.mostFields) w.mostFields = w.fields;
  } catch {
    // A hostile getter: this key says nothing.
  }
}

function hasField(w: Walk, key: string): boolean {
  for (let i = 0; i < w.fields; i++) if (w.keys[i] === key) return true;
  return false;
}

/**
 * Reads the read keys an object answers into the walk's fields, each once: a throwing getter
 * costs only its own key. A plain object (parsed JSON, an object literal) is read by its own
 * keys, usually a handful; anything else by its own property names plus what its prototype
 * chain defines. Returns the name of its constructor (undefined for a plain object).
 */
function readFields(w: Walk, obj: object): string | undefined {
  w.fields = 0;
  try {
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto === Object.prototype || proto === null) {
      for (const key in obj) {
        const steps = KEY_STEPS.get(key);
        if (steps !== undefined) readField(w, obj, key, steps);
      }
      return undefined;
    }
    for (const key of Object.getOwnPropertyNames(obj)) {
      const steps = KEY_STEPS.get(key);
      if (steps !== undefined) readField(w, obj, key, steps);
    }
    const info = protoInfo(proto);
    for (const key of info.keys) if (!hasField(w, key)) readField(w, obj, key, KEY_STEPS.get(key) ?? NONE);
    return info.constructorName;
  } catch {
    // A proxy whose traps refuse to list keys may still answer them one by one.
    for (const [key, steps] of KEY_STEPS) readField(w, obj, key, steps);
    return undefined;
  }
}

function addCode(w: Walk, value: string, fromName = false): void {
  const colon = value.indexOf(':');
  const v = (colon < 0 ? value : value.slice(0, colon)).trim(); // `ThrottlingException:http://internal...`
  const codes = w.s.codes;
  if (!v || v.length > 100 || codes.length >= LIMITS.codes || v.toLowerCase() === 'error') return;
  for (const c of codes) if (c.value === v) return;
  w.s.codes = added(codes, { value: v, fromName });
}

function addText(w: Walk, text: string, rank: number): void {
  const t = decodePercent(text.trim().slice(0, LIMITS.textChars));
  const s = w.s;
  // A full list takes no more texts, so whether a text is seen then no longer matters.
  if (!t || s.texts.length >= LIMITS.texts || !w.texts.add(t)) return;
  s.texts = added(s.texts, { text: t, rank });
  const st = statusInText(t);
  if (st !== undefined) s.textStatuses = added(s.textStatuses, st);
}

function enqueue(w: Walk, value: unknown, depth: number, inBody: boolean): void {
  if (value !== null && value !== undefined && depth <= LIMITS.depth) {
    w.queued[w.count] = value;
    w.where[w.count] = depth * 2 + (inBody ? 1 : 0);
    w.count++;
  }
}

function readString(w: Walk, text: string, depth: number, inBody: boolean, rank: number): void {
  // One body referenced from many places is parsed once: work stays linear in the input.
  if (!w.strings.add(text)) return;
  const parts = readBody(text);
  if (typeof parts === 'string') {
    addText(w, parts, rank);
    return;
  }
  for (const code of parts.codes) addCode(w, code);
  if (parts.text !== undefined) addText(w, parts.text, rank);
  for (const obj of parts.objects) enqueue(w, obj, depth + 1, true);
}

function visit(w: Walk, value: unknown, depth: number, inBody: boolean): void {
  if (typeof value === 'string') {
    readString(w, value, depth, inBody, inBody ? 1 : 3);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    if (depth === 0 && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')) addText(w, String(value), 4);
    return;
  }
  if (!w.objects.add(value)) return;

  if (Array.isArray(value)) {
    // RetryError.errors ends with the latest failure: read the tail.
    for (let i = value.length - 1; i >= Math.max(0, value.length - LIMITS.arrayItems); i--) enqueue(w, value[i], depth + 1, inBody);
    return;
  }
  if (isBytes(value)) {
    try {
      readString(w, new TextDecoder().decode(value.subarray(0, LIMITS.bodyChars)), depth, true, 1);
    } catch {
      // Undecodable bytes carry no signal.
    }
    return;
  }

  const ctorName = readFields(w, value);
  const fields = w.fields;
  if (fields === 0 && ctorName === undefined) return;
  const name = fieldValue(w, 'name');
  if (typeof name === 'string' && !GENERIC_NAMES.has(name)) addCode(w, name, true);
  if (typeof ctorName === 'string' && !GENERIC_NAMES.has(ctorName)) addCode(w, ctorName, true);
  // Only the keys present, in the fixed order of STEPS (the order decides which text and code come first).
  const steps = w.steps;
  let count = 0;
  for (let f = 0; f < fields; f++) {
    const at = w.stepsOf[f]!;
    for (let j = 0; j < at.length; j++) count = insertSorted(steps, count, at[j]! * FIELD_SLOTS + f);
  }
  for (let i = 0; i < count; i++) {
    const entry = steps[i]!;
    const f = entry % FIELD_SLOTS;
    const [key, step] = STEPS[(entry - f) / FIELD_SLOTS] ?? ['', Step.Nested];
    readStep(w, step, key, w.values[f], depth, inBody);
  }
}

/** Puts `n` in its place among the first `count` (ascending) of `sorted`; returns the new count. */
function insertSorted(sorted: number[], count: number, n: number): number {
  let i = count;
  for (; i > 0 && sorted[i - 1]! > n; i--) sorted[i] = sorted[i - 1]!;
  sorted[i] = n;
  return count + 1;
}

function readStep(w: Walk, step: Step, key: string, v: unknown, depth: number, inBody: boolean): void {
  const s = w.s;
  switch (step) {
    case Step.Status: {
      const st = asStatus(v);
      if (st !== undefined) {
        if (inBody) s.bodyStatuses = added(s.bodyStatuses, st);
        else s.statuses = added(s.statuses, st);
      } else if (typeof v === 'string' && /^[A-Za-z_.-]{3,60}$/.test(v)) addCode(w, v); // gRPC: RESOURCE_EXHAUSTED
      return;
    }
    case Step.Code: {
      const st = key === 'code' ? asStatus(v) : undefined;
      if (st !== undefined) s.bodyStatuses = added(s.bodyStatuses, st);
      else if (typeof v === 'string') addCode(w, v);
      else if (typeof v === 'number' && Number.isFinite(v)) addCode(w, String(v));
      return;
    }
    // An answer that carries its own failure: a finish reason other than a normal stop, a blocked prompt.
    case Step.Finish:
      if (typeof v === 'string' && !NORMAL_FINISH.test(v)) {
        addCode(w, v);
        addText(w, `finish_reason: ${v}`, 2);
      }
      return;
    case Step.QuotaName:
      if (typeof v === 'string') addText(w, v, 5);
      return;
    // Google's quota metadata: a limit value of 0 means the model is not in this tier at all.
    case Step.QuotaValue:
      if (typeof v === 'string' || typeof v === 'number') addText(w, `limit: ${String(v)}`, 5);
      return;
    case Step.Message:
      if (typeof v === 'string') readString(w, v, depth, inBody, inBody ? 0 : 2);
      return;
    case Step.Retryable:
      if (typeof v === 'boolean') s.retryableFlags = added(s.retryableFlags, v);
      return;
    case Step.Headers:
      s.headers = readHeaders(v, s.headers);
      return;
    // Body timing, relative before absolute: it does not depend on the two clocks agreeing.
    case Step.Seconds: {
      const ms = parseSeconds(v);
      if (ms !== undefined) s.timing = added(s.timing, { relativeMs: ms });
      return;
    }
    case Step.Ms:
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) s.timing = added(s.timing, { relativeMs: v });
      return;
    case Step.Delay: {
      const ms = parseProtoDuration(v);
      if (ms !== undefined) s.timing = added(s.timing, { relativeMs: ms });
      return;
    }
    case Step.ResetAt: {
      const at = parseAbsolute(v);
      if (at !== undefined) s.timing = added(s.timing, { absoluteMs: at });
      return;
    }
    case Step.Nested:
      if (typeof v === 'string') {
        // `error: "Incorrect API key..."` (xAI), `responseBody`, `body`, `raw`: text or JSON.
        readString(w, v, depth + 1, true, key === 'error' ? 0 : 1);
      } else {
        // A `status` inside a body is the body's claim; `response` and `$metadata` are the HTTP exchange.
        enqueue(w, v, depth + 1, inBody || BODY_KEYS.has(key));
      }
      return;
  }
}

/**
 * Walks the thrown value breadth-first (outermost wrapper first) through `cause`, `error`,
 * `errors`, bodies and quoted JSON, with a visit budget so cycles and huge graphs stay cheap.
 */
export function collectSignals(root: unknown): Signals {
  const s: Signals = { statuses: NONE, bodyStatuses: NONE, textStatuses: NONE, codes: NONE, texts: NONE, headers: NO_HEADERS, timing: NONE, retryableFlags: NONE };
  const w = freeWalk ?? new Walk();
  freeWalk = undefined;
  try {
    w.s = s;
    enqueue(w, root, 0, false);
    for (let i = 0; i < w.count && i < LIMITS.nodes; i++) {
      try {
        const where = w.where[i]!;
        visit(w, w.queued[i], where >> 1, (where & 1) === 1);
      } catch {
        // A revoked proxy or a throwing trap: this node says nothing, the rest of the chain still counts.
      }
    }
    const amzn = s.headers.get('x-amzn-errortype');
    if (amzn) addCode(w, amzn);
    const shouldRetry = s.headers.get('x-should-retry')?.trim().toLowerCase();
    if (shouldRetry === 'true' || shouldRetry === 'false') s.retryableFlags = added(s.retryableFlags, shouldRetry === 'true');
    return s;
  } finally {
    w.reset();
    freeWalk = w;
  }
}
