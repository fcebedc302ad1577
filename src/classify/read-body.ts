import { LIMITS } from './limits.js';

/** What a body or message string holds once its framing (JSON, SSE, HTML) is removed. */
export interface BodyParts {
  /** Parsed JSON values to walk like error objects. */
  readonly objects: readonly unknown[];
  /** Human text to match and to quote, if any. */
  readonly text?: string;
  /** Codes from stream framing (Bedrock `:exception-type throttlingException`). */
  readonly codes: readonly string[];
}

/** A body that says nothing (a cut-off success body). */
const NOTHING: BodyParts = Object.freeze({ objects: Object.freeze([]), codes: Object.freeze([]) });

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function looksLikeStream(s: string): boolean {
  return (s.startsWith('data:') || s.startsWith('event:') || s.startsWith(':') || s.includes('\ndata:') || s.includes('\n:')) && /^(data|event|id):|^:[a-z-]+ /m.test(s.slice(0, 2_000));
}

/**
 * An HTTP 200 stream can carry the error in a late event (OpenRouter `data: {"error":...}`,
 * Bedrock `:event-type throttlingException`). Only error-bearing lines are kept: content chunks
 * hold model output, whose words must not be read as an error.
 */
function readStream(s: string): { objects: unknown[]; codes: string[] } {
  const parts = { objects: [] as unknown[], codes: [] as string[] };
  for (const raw of s.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('data:')) {
      const payload = line.slice(5).trim();
      // A finish or stop reason travels in a late event (Anthropic `message_delta` "refusal"): the walk decides whether it is normal.
      if (payload.startsWith('{') && (/error/i.test(payload) || /"(stop_reason|finish_reason|finishReason)"\s*:\s*"/.test(payload))) {
        const v = tryJson(payload);
        if (v !== undefined) parts.objects.push(v);
      }
    } else if (/^:(event|exception)-type /i.test(line)) {
      const value = line.slice(line.indexOf(' ') + 1).trim();
      if (/exception|error/i.test(value)) parts.codes.push(value);
    } else if (line.startsWith('{') && /message|error/i.test(line)) {
      const v = tryJson(line);
      if (v !== undefined) parts.objects.push(v);
    }
  }
  return parts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const SKIPPED = ['script', 'style', 'title', 'head'];

/** Title and visible text of an HTML error page from a proxy, in one linear pass. */
function readHtml(s: string): string {
  const lower = s.toLowerCase();
  const lead = s.slice(0, lower.indexOf('<')).trim();
  let title = '';
  const t0 = lower.indexOf('<title');
  if (t0 >= 0) {
    const start = lower.indexOf('>', t0) + 1;
    const end = lower.indexOf('</title', start);
    if (start > 0 && end > start) title = s.slice(start, end);
  }
  // Text between tags, jumping from one `<` to the next; script, style, title and head are skipped whole.
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (i < s.length && size < LIMITS.textChars) {
    const open = lower.indexOf('<', i);
    const text = open < 0 ? s.slice(i) : s.slice(i, open);
    if (text) {
      parts.push(text);
      size += text.length;
    }
    if (open < 0) break;
    let skipped: string | undefined;
    for (const tag of SKIPPED) if (lower.startsWith(tag, open + 1)) skipped = tag;
    if (skipped) {
      const close = lower.indexOf(`</${skipped}>`, open + 1);
      if (close < 0) break;
      i = close + skipped.length + 3;
    } else {
      const end = lower.indexOf('>', open + 1);
      if (end < 0) break;
      i = end + 1;
    }
    parts.push(' ');
  }
  const body = parts.join('').slice(0, LIMITS.textChars);
  const text = [lead, title, body].join(' ').replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? ' ');
  return text.replace(/\s+/g, ' ').trim();
}

/** Messages up to this long are first scanned for framing in one pass (longer ones are rare, and searched by the builtins). */
const PLAIN_SCAN = 1_000;

/**
 * No `{`, `[`, `<` or `:`: no JSON, no stream (its fields and comments have a colon), no page and
 * no quoted body, so readBody would return the text as it is. Most messages are such words, and
 * one pass over them costs less than the ten searches that would find nothing.
 */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x3c || c === 0x3a) return false;
  }
  return true;
}

/**
 * Splits a body or message string into what the classifier reads; a string when it is text and
 * nothing else (most messages: no parts record to make). Total: never throws.
 */
export function readBody(input: string): BodyParts | string {
  const s = input.length > LIMITS.bodyChars ? input.slice(0, LIMITS.bodyChars) : input;
  const trimmed = s.trim();
  if (trimmed.length <= PLAIN_SCAN && isPlain(trimmed)) return trimmed;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const v = tryJson(trimmed);
    if (v !== undefined) return { objects: [v], codes: NOTHING.codes };
    // A cut-off success body holds model output, whose words must not be read as an error.
    // A Python repr (`[{'type': 'value_error', ...}]`, pydantic's list in vLLM or FastAPI messages) is no cut JSON: its words count.
    if (/^(\{\s*"|\[\s*(\{\s*"|"|\[))/.test(trimmed) && !/"error"/i.test(trimmed)) return NOTHING;
  }
  if (looksLikeStream(trimmed)) {
    const parts = readStream(trimmed);
    if (parts.objects.length > 0 || parts.codes.length > 0) return parts;
  }
  // A page starts with a tag: most messages hold no `<`, and are neither lower-cased nor matched for one.
  const head = trimmed.slice(0, 2_000);
  if (head.includes('<') && /<(!doctype|html|head|body|title)\b/.test(head.toLowerCase())) return readHtml(trimmed);
  // A message that quotes a JSON body after a prefix: `429 {"error":...}`, `Codex error: {...}`.
  const open = trimmed.indexOf('{');
  const close = trimmed.lastIndexOf('}');
  if (open >= 0 && close > open) {
    const v = tryJson(trimmed.slice(open, close + 1));
    if (v !== undefined) return { objects: [v], codes: NOTHING.codes, text: trimmed };
  }
  return trimmed;
}
