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
const NESTED_KEYS = ['error', 'detail', 'cause', 'lastError', 'errors', 'response', 'body', 'responseBody', 'data', 'details', 'innererror', 'innerError', 'metadata', 'raw', 'choices', 'candidates', 'promptFeedback', 'provider_specific_fields', '$metadata', 'originalError', 'violations'];
const BODY_KEYS = new Set(['error', 'detail', 'body', 'responseBody', 'data', 'details', 'innererror', 'innerError', 'metadata', 'raw', 'choices', 'candidates', 'promptFeedback', 'provider_specific_fields']);
const HEADER_KEYS = ['headers', 'responseHeaders'];

function get(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function constructorName(obj: object): string | undefined {
  try {
    const name: unknown = (Object.getPrototypeOf(obj) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

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

/**
 * Walks the thrown value breadth-first (outermost wrapper first) through `cause`, `error`,
 * `errors`, bodies and quoted JSON, with a visit budget so cycles and huge graphs stay cheap.
 */
export function collectSignals(root: unknown): Signals {
  const s: Signals = { statuses: [], bodyStatuses: [], textStatuses: [], codes: [], texts: [], headers: new Map(), timing: [], retryableFlags: [] };
  const seenObjects = new Set<object>();
  const seenTexts = new Set<string>();
  const seenStrings = new Set<string>();
  const queue: QueueItem[] = [{ value: root, depth: 0, inBody: false }];
  let visited = 0;

  const addCode = (value: string, fromName = false): void => {
    const v = value.trim().split(':', 1)[0]?.trim() ?? ''; // `ThrottlingException:http://internal...`
    if (v && v.length <= 100 && v.toLowerCase() !== 'error' && s.codes.length < LIMITS.codes && !s.codes.some((c) => c.value === v)) {
      s.codes.push({ value: v, fromName });
    }
  };
  const addText = (text: string, rank: number): void => {
    const t = decodePercent(text.trim().slice(0, LIMITS.textChars));
    if (!t || seenTexts.has(t) || s.texts.length >= LIMITS.texts) return;
    seenTexts.add(t);
    s.texts.push({ text: t, rank });
    const st = statusInText(t);
    if (st !== undefined) s.textStatuses.push(st);
  };
  const enqueue = (value: unknown, depth: number, inBody: boolean): void => {
    if (value !== null && value !== undefined && depth <= LIMITS.depth) queue.push({ value, depth, inBody });
  };
  const readString = (text: string, depth: number, inBody: boolean, rank: number): void => {
    // One body referenced from many places is parsed once: work stays linear in the input.
    if (seenStrings.has(text)) return;
    seenStrings.add(text);
    const parts = readBody(text);
    for (const code of parts.codes) addCode(code);
    if (parts.text !== undefined) addText(parts.text, rank);
    for (const obj of parts.objects) enqueue(obj, depth + 1, true);
  };

  const visit = ({ value, depth, inBody }: QueueItem): void => {
    if (typeof value === 'string') {
      readString(value, depth, inBody, inBody ? 1 : 3);
      return;
    }
    if (typeof value !== 'object' || value === null) {
      if (depth === 0 && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')) addText(String(value), 4);
      return;
    }
    if (seenObjects.has(value)) return;
    seenObjects.add(value);

    if (Array.isArray(value)) {
      // RetryError.errors ends with the latest failure: read the tail.
      for (const el of value.slice(-LIMITS.arrayItems).reverse()) enqueue(el, depth + 1, inBody);
      return;
    }
    if (isBytes(value)) {
      try {
        readString(new TextDecoder().decode(value.subarray(0, LIMITS.bodyChars)), depth, true, 1);
      } catch {
        // Undecodable bytes carry no signal.
      }
      return;
    }

    for (const name of [get(value, 'name'), constructorName(value)]) {
      if (typeof name === 'string' && !GENERIC_NAMES.has(name)) addCode(name, true);
    }
    for (const key of STATUS_KEYS) {
      const v = get(value, key);
      const st = asStatus(v);
      if (st !== undefined) (inBody ? s.bodyStatuses : s.statuses).push(st);
      else if (typeof v === 'string' && /^[A-Za-z_.-]{3,60}$/.test(v)) addCode(v); // gRPC: RESOURCE_EXHAUSTED
    }
    for (const key of CODE_KEYS) {
      const v = get(value, key);
      const st = key === 'code' ? asStatus(v) : undefined;
      if (st !== undefined) s.bodyStatuses.push(st);
      else if (typeof v === 'string') addCode(v);
      else if (typeof v === 'number' && Number.isFinite(v)) addCode(String(v));
    }
    // An answer that carries its own failure: a finish reason other than a normal stop, a blocked prompt.
    for (const key of ['finish_reason', 'finishReason', 'blockReason', 'block_reason']) {
      const v = get(value, key);
      if (typeof v === 'string' && !NORMAL_FINISH.test(v)) {
        addCode(v);
        addText(`finish_reason: ${v}`, 2);
      }
    }
    for (const key of ['quotaId', 'quotaMetric']) {
      const v = get(value, key);
      if (typeof v === 'string') addText(v, 5);
    }
    // Google's quota metadata: a limit value of 0 means the model is not in this tier at all.
    for (const key of ['quota_limit_value', 'quotaValue']) {
      const v = get(value, key);
      if (typeof v === 'string' || typeof v === 'number') addText(`limit: ${String(v)}`, 5);
    }
    for (const key of MESSAGE_KEYS) {
      const v = get(value, key);
      if (typeof v === 'string') readString(v, depth, inBody, inBody ? 0 : 2);
    }
    for (const key of ['isRetryable', 'retryable']) {
      const v = get(value, key);
      if (typeof v === 'boolean') s.retryableFlags.push(v);
    }
    for (const key of HEADER_KEYS) readHeaders(get(value, key), s.headers);

    // Body timing, relative before absolute: it does not depend on the two clocks agreeing.
    for (const key of ['resets_in_seconds', 'reset_after_seconds', 'retry_after_seconds', 'retry_after', 'retryAfter']) {
      const ms = parseSeconds(get(value, key));
      if (ms !== undefined) s.timing.push({ relativeMs: ms });
    }
    for (const key of ['retry_after_ms', 'retryAfterMs']) {
      const v = get(value, key);
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) s.timing.push({ relativeMs: v });
    }
    for (const key of ['retryDelay', 'retry_delay']) {
      const ms = parseProtoDuration(get(value, key));
      if (ms !== undefined) s.timing.push({ relativeMs: ms });
    }
    for (const key of ['resets_at', 'reset_at', 'resetsAt']) {
      const at = parseAbsolute(get(value, key));
      if (at !== undefined) s.timing.push({ absoluteMs: at });
    }

    for (const key of NESTED_KEYS) {
      const v = get(value, key);
      if (typeof v === 'string') {
        // `error: "Incorrect API key..."` (xAI), `responseBody`, `body`, `raw`: text or JSON.
        readString(v, depth + 1, true, key === 'error' ? 0 : 1);
      } else {
        // A `status` inside a body is the body's claim; `response` and `$metadata` are the HTTP exchange.
        enqueue(v, depth + 1, inBody || BODY_KEYS.has(key));
      }
    }
  };

  for (let i = 0; i < queue.length && visited < LIMITS.nodes; i++) {
    const item = queue[i];
    if (!item) break;
    visited++;
    try {
      visit(item);
    } catch {
      // A revoked proxy or a throwing trap: this node says nothing, the rest of the chain still counts.
    }
  }
  const amzn = s.headers.get('x-amzn-errortype');
  if (amzn) addCode(amzn);
  const shouldRetry = s.headers.get('x-should-retry')?.trim().toLowerCase();
  if (shouldRetry === 'true' || shouldRetry === 'false') s.retryableFlags.push(shouldRetry === 'true');
  return s;
}
