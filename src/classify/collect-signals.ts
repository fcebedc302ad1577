import { LIMITS } from './limits.js';
import { readBody } from './read-body.js';
import { type HeaderMap, readHeaders } from './read-headers.js';
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

/** Everything the rules look at, gathered from whatever shape was thrown. */
export interface Signals {
  /** HTTP statuses from structured fields (`status`, `statusCode`, `$metadata.httpStatusCode`), outermost first. */
  statuses: number[];
  /** Statuses a body states (`error.code: 429` inside an HTTP 200 stream). */
  bodyStatuses: number[];
  /** A status named in prose: `HTTP 429`, `Provider API error (503)`, `529 API is busy`. */
  textStatuses: number[];
  codes: CodeSignal[];
  texts: TextSignal[];
  headers: HeaderMap;
  timing: TimingHint[];
  /** `isRetryable` / `retryable` / `x-should-retry` as the thrower stated them. */
  retryableFlags: boolean[];
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

interface QueueItem {
  value: unknown;
  depth: number;
  inBody: boolean;
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

/**
 * The read keys an object answers, read once each: a throwing getter costs only its own key.
 * Two arrays, not a Map: an object has a handful of read keys, and a Map per object visited was
 * most of what classifying a failure allocated.
 */
interface Fields {
  keys: string[];
  values: unknown[];
  constructorName: string | undefined;
}

/** The value read for `key` (a later read of a key replaces the earlier one, in its place). */
function fieldValue(f: Fields, key: string): unknown {
  const at = f.keys.indexOf(key);
  return at < 0 ? undefined : f.values[at];
}

function readField(obj: object, key: string, into: Fields): void {
  try {
    const v = (obj as Record<string, unknown>)[key];
    if (v === undefined) return;
    const at = into.keys.indexOf(key);
    if (at < 0) {
      into.keys.push(key);
      into.values.push(v);
    } else into.values[at] = v;
  } catch {
    // A hostile getter: this key says nothing.
  }
}

/**
 * A plain object (parsed JSON, an object literal) is read by its own keys, usually a handful;
 * anything else by its own property names plus what its prototype chain defines. Either way
 * only the keys the walk uses are read, and each once.
 */
function fieldsOf(obj: object): Fields {
  const f: Fields = { keys: [], values: [], constructorName: undefined };
  try {
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto === Object.prototype || proto === null) {
      for (const key in obj) if (READ_KEYS.has(key)) readField(obj, key, f);
      return f;
    }
    for (const key of Object.getOwnPropertyNames(obj)) if (READ_KEYS.has(key)) readField(obj, key, f);
    const info = protoInfo(proto);
    for (const key of info.keys) if (!f.keys.includes(key)) readField(obj, key, f);
    f.constructorName = info.constructorName;
    return f;
  } catch {
    // A proxy whose traps refuse to list keys may still answer them one by one.
    for (const key of READ_KEYS) readField(obj, key, f);
    f.constructorName = undefined;
    return f;
  }
}

interface Walk {
  s: Signals;
  seenObjects: Set<object>;
  seenTexts: Set<string>;
  seenStrings: Set<string>;
  queue: QueueItem[];
}

function addCode(w: Walk, value: string, fromName = false): void {
  const colon = value.indexOf(':');
  const v = (colon < 0 ? value : value.slice(0, colon)).trim(); // `ThrottlingException:http://internal...`
  const codes = w.s.codes;
  if (!v || v.length > 100 || codes.length >= LIMITS.codes || v.toLowerCase() === 'error') return;
  for (const c of codes) if (c.value === v) return;
  codes.push({ value: v, fromName });
}

function addText(w: Walk, text: string, rank: number): void {
  const t = decodePercent(text.trim().slice(0, LIMITS.textChars));
  if (!t || w.seenTexts.has(t) || w.s.texts.length >= LIMITS.texts) return;
  w.seenTexts.add(t);
  w.s.texts.push({ text: t, rank });
  const st = statusInText(t);
  if (st !== undefined) w.s.textStatuses.push(st);
}

function enqueue(w: Walk, value: unknown, depth: number, inBody: boolean): void {
  if (value !== null && value !== undefined && depth <= LIMITS.depth) w.queue.push({ value, depth, inBody });
}

function readString(w: Walk, text: string, depth: number, inBody: boolean, rank: number): void {
  // One body referenced from many places is parsed once: work stays linear in the input.
  if (w.seenStrings.has(text)) return;
  w.seenStrings.add(text);
  const parts = readBody(text);
  for (const code of parts.codes) addCode(w, code);
  if (parts.text !== undefined) addText(w, parts.text, rank);
  for (const obj of parts.objects) enqueue(w, obj, depth + 1, true);
}

function visit(w: Walk, { value, depth, inBody }: QueueItem): void {
  const s = w.s;
  if (typeof value === 'string') {
    readString(w, value, depth, inBody, inBody ? 1 : 3);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    if (depth === 0 && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')) addText(w, String(value), 4);
    return;
  }
  if (w.seenObjects.has(value)) return;
  w.seenObjects.add(value);

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

  const f = fieldsOf(value);
  const ctorName = f.constructorName;
  if (f.keys.length === 0 && ctorName === undefined) return;
  const name = fieldValue(f, 'name');
  if (typeof name === 'string' && !GENERIC_NAMES.has(name)) addCode(w, name, true);
  if (typeof ctorName === 'string' && !GENERIC_NAMES.has(ctorName)) addCode(w, ctorName, true);
  // Only the keys present, in the fixed order of STEPS (the order decides which text and code come first).
  const steps: number[] = [];
  for (const key of f.keys) {
    const at = STEP_AT.get(key);
    if (at) for (const i of at) insertSorted(steps, i);
  }
  for (const at of steps) {
    const [key, step] = STEPS[at] ?? ['', Step.Nested];
    readStep(w, step, key, fieldValue(f, key), depth, inBody);
  }
}

/** Puts `n` in its place in the ascending `sorted`: an object has a handful of read keys, and `sort` allocated a work array per object. */
function insertSorted(sorted: number[], n: number): void {
  let i = sorted.length;
  sorted.push(n);
  for (; i > 0 && sorted[i - 1]! > n; i--) sorted[i] = sorted[i - 1]!;
  sorted[i] = n;
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

function readStep(w: Walk, step: Step, key: string, v: unknown, depth: number, inBody: boolean): void {
  const s = w.s;
  switch (step) {
    case Step.Status: {
      const st = asStatus(v);
      if (st !== undefined) (inBody ? s.bodyStatuses : s.statuses).push(st);
      else if (typeof v === 'string' && /^[A-Za-z_.-]{3,60}$/.test(v)) addCode(w, v); // gRPC: RESOURCE_EXHAUSTED
      return;
    }
    case Step.Code: {
      const st = key === 'code' ? asStatus(v) : undefined;
      if (st !== undefined) s.bodyStatuses.push(st);
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
      if (typeof v === 'boolean') s.retryableFlags.push(v);
      return;
    case Step.Headers:
      readHeaders(v, s.headers);
      return;
    // Body timing, relative before absolute: it does not depend on the two clocks agreeing.
    case Step.Seconds: {
      const ms = parseSeconds(v);
      if (ms !== undefined) s.timing.push({ relativeMs: ms });
      return;
    }
    case Step.Ms:
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) s.timing.push({ relativeMs: v });
      return;
    case Step.Delay: {
      const ms = parseProtoDuration(v);
      if (ms !== undefined) s.timing.push({ relativeMs: ms });
      return;
    }
    case Step.ResetAt: {
      const at = parseAbsolute(v);
      if (at !== undefined) s.timing.push({ absoluteMs: at });
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
  const s: Signals = { statuses: [], bodyStatuses: [], textStatuses: [], codes: [], texts: [], headers: new Map(), timing: [], retryableFlags: [] };
  const w: Walk = { s, seenObjects: new Set(), seenTexts: new Set(), seenStrings: new Set(), queue: [{ value: root, depth: 0, inBody: false }] };
  for (let i = 0, visited = 0; i < w.queue.length && visited < LIMITS.nodes; i++, visited++) {
    const item = w.queue[i];
    if (!item) break;
    try {
      visit(w, item);
    } catch {
      // A revoked proxy or a throwing trap: this node says nothing, the rest of the chain still counts.
    }
  }
  const amzn = s.headers.get('x-amzn-errortype');
  if (amzn) addCode(w, amzn);
  const shouldRetry = s.headers.get('x-should-retry')?.trim().toLowerCase();
  if (shouldRetry === 'true' || shouldRetry === 'false') s.retryableFlags.push(shouldRetry === 'true');
  return s;
}
