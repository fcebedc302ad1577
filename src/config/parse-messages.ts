import { ConfigError } from '../errors.js';
import type { JsonObject, Message, MessagePart, ProviderOptions, Role, ToolOutputContentItem, ToolResultOutput } from '../message-types.js';
import { checkText, isWellFormed } from '../store/text-checks.js';
import { isPlainObject, kindOf, toJsonObject, toJsonValue } from './json-value.js';

const ROLES: readonly Role[] = ['system', 'user', 'assistant', 'tool'];

/** The part types each role may hold, as in the AI SDK's ModelMessage. */
const PARTS_OF: Readonly<Record<Exclude<Role, 'system'>, readonly MessagePart['type'][]>> = {
  user: ['text', 'image', 'file'],
  assistant: ['text', 'file', 'reasoning', 'tool-call', 'tool-result', 'tool-approval-request'],
  tool: ['tool-result', 'tool-approval-response'],
};

const MESSAGE_KEYS: ReadonlySet<string> = new Set(['role', 'content', 'providerOptions']);

/**
 * Checks one message and returns its canonical copy: the form the run hands to `call`, stores,
 * and reads back. A plain `{ role, content: string }` is returned as a fresh two-field object
 * (the common case costs nothing more than it did); messages with parts are copied as JSON, a
 * `URL` becoming its string. Every problem is a ConfigError naming the field
 * (`messages[2].content[0].toolCallId`).
 */
export function parseMessage(m: unknown, field: string): Message {
  if (!isPlainObject(m)) throw new ConfigError(field, `must be a message object { role, content }, got ${kindOf(m)}`);
  const role = m.role as Role;
  if (!ROLES.includes(role)) throw new ConfigError(`${field}.role`, `must be one of ${ROLES.join(', ')}, got ${JSON.stringify(m.role)}`);
  for (const key of Object.keys(m)) {
    if (!MESSAGE_KEYS.has(key) && m[key] !== undefined) {
      const hint = key === 'parts' || key === 'id' ? ' (a UI message? convert it with the AI SDK’s convertToModelMessages())' : '';
      throw new ConfigError(`${field}.${key}`, `is not a field of a message: only role, content and providerOptions are${hint}`);
    }
  }
  const providerOptions = m.providerOptions === undefined ? undefined : parseProviderOptions(m.providerOptions, `${field}.providerOptions`);
  const content = m.content;
  let parsed: Message['content'];
  if (typeof content === 'string') {
    // the session must hold exactly what the host sent (SQLite would alter a lone surrogate)
    checkText(`${field}.content`, content);
    parsed = content;
  } else if (role === 'system') {
    throw new ConfigError(`${field}.content`, `must be a string for a system message, got ${kindOf(content)}`);
  } else if (Array.isArray(content)) {
    if (content.length === 0) throw new ConfigError(`${field}.content`, 'must not be an empty array');
    const allowed = PARTS_OF[role];
    parsed = content.map((part, i) => parsePart(part, `${field}.content[${i}]`, role, allowed)) as Message['content'];
  } else {
    throw new ConfigError(`${field}.content`, `must be a string or an array of parts, got ${kindOf(content)}`);
  }
  return (providerOptions ? { role, content: parsed, providerOptions } : { role, content: parsed }) as Message;
}

/** The `messages` option: a non-empty array of messages. */
export function parseMessages(v: unknown, field = 'messages'): Message[] {
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(field, 'must be a non-empty array of { role, content }');
  const out = new Array<Message>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = plainText(v[i]) ?? parseMessage(v[i], `${field}[${i}]`);
  return out;
}

/**
 * parseMessage's answer for a message that is exactly a well-formed `{ role, content: string }`
 * (a run's usual new message), found without the field names parseMessage makes for its errors
 * (a string per message and per check, every run) nor a list of the keys; undefined for any
 * other message, which parseMessage then checks and reports as it always has.
 */
function plainText(m: unknown): Message | undefined {
  if (!isPlainObject(m)) return undefined;
  let keys = 0;
  for (const key in m) {
    if ((key !== 'role' && key !== 'content') || !Object.hasOwn(m, key)) return undefined;
    keys++;
  }
  const { role, content } = m;
  if (keys !== 2 || typeof content !== 'string' || !ROLES.includes(role as Role) || !isWellFormed(content)) return undefined;
  return { role, content } as Message;
}

export function parseProviderOptions(v: unknown, field: string): ProviderOptions {
  if (!isPlainObject(v)) throw new ConfigError(field, `must be an object of provider → options, got ${kindOf(v)}`);
  const entries: [string, JsonObject][] = [];
  for (const [provider, options] of Object.entries(v)) {
    if (options === undefined) continue;
    if (!isPlainObject(options)) throw new ConfigError(`${field}.${provider}`, `must be an object of options, got ${kindOf(options)}`);
    entries.push([provider, toJsonObject(options, `${field}.${provider}`)]);
  }
  // own properties whatever the name: an assignment to "__proto__" would set the prototype instead
  return Object.fromEntries(entries);
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new ConfigError(field, `must be a string, got ${kindOf(v)}`);
  return v;
}

function nonEmpty(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(field, `must be a non-empty string, got ${kindOf(v)}`);
  return v;
}

function optional<T>(v: unknown, field: string, check: (v: unknown, field: string) => T): T | undefined {
  return v === undefined ? undefined : check(v, field);
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(field, `must be a boolean, got ${kindOf(v)}`);
  return v;
}

const INLINE =
  'is inline binary data, which a run does not store in the session: upload it and give its URL (https://…), or your own reference as a URL (e.g. blobs://id, resolved by fromAiSdk’s resolveReference)';

/**
 * Binary content by reference only: a `URL`, or a string that is an absolute URL other than
 * `data:`. Bytes, base64 text and data URLs would put megabytes into every row of the session.
 */
function reference(v: unknown, field: string): string {
  if (v instanceof URL) return v.href;
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) throw new ConfigError(field, `${INLINE} (got ${v.byteLength} bytes)`);
  if (typeof v !== 'string') throw new ConfigError(field, `must be a URL or a URL string, got ${kindOf(v)}`);
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol === 'data:') throw new ConfigError(field, `${INLINE} (got ${url ? 'a data: URL' : `${v.length} characters that are not a URL`})`);
  return v;
}

/** Copies the fields a part type defines, checked, plus any other JSON fields (a newer SDK's) as they are. */
function withRest(part: Record<string, unknown>, field: string, known: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(part)) {
    if (value === undefined) continue;
    if (key in known) {
      if (known[key] !== undefined) out[key] = known[key];
    } else out[key] = toJsonValue(value, `${field}.${key}`);
  }
  return out;
}

function parsePart(part: unknown, field: string, role: Role, allowed: readonly string[]): MessagePart {
  if (!isPlainObject(part)) throw new ConfigError(field, `must be a part object { type, ... }, got ${kindOf(part)}`);
  const type = part.type;
  if (typeof type !== 'string' || !allowed.includes(type)) {
    throw new ConfigError(`${field}.type`, `must be one of ${allowed.join(', ')} in a ${role} message, got ${JSON.stringify(type)}`);
  }
  const f = (name: string) => `${field}.${name}`;
  const providerOptions = optional(part.providerOptions, f('providerOptions'), parseProviderOptions);
  let known: Record<string, unknown>;
  switch (type) {
    case 'text':
    case 'reasoning':
      known = { type, text: text(part.text, f('text')), providerOptions };
      break;
    case 'image':
      known = { type, image: reference(part.image, f('image')), mediaType: optional(part.mediaType, f('mediaType'), nonEmpty), providerOptions };
      break;
    case 'file':
      known = {
        type,
        data: reference(part.data, f('data')),
        mediaType: nonEmpty(part.mediaType, f('mediaType')),
        filename: optional(part.filename, f('filename'), text),
        providerOptions,
      };
      break;
    case 'tool-call':
      if (part.input === undefined) throw new ConfigError(f('input'), 'must be the tool input (a JSON value), got undefined');
      known = {
        type,
        toolCallId: nonEmpty(part.toolCallId, f('toolCallId')),
        toolName: nonEmpty(part.toolName, f('toolName')),
        input: toJsonValue(part.input, f('input')),
        providerExecuted: optional(part.providerExecuted, f('providerExecuted'), bool),
        providerOptions,
      };
      break;
    case 'tool-result':
      known = {
        type,
        toolCallId: nonEmpty(part.toolCallId, f('toolCallId')),
        toolName: nonEmpty(part.toolName, f('toolName')),
        output: parseToolOutput(part.output, f('output')),
        providerOptions,
      };
      break;
    case 'tool-approval-request':
      known = {
        type,
        approvalId: nonEmpty(part.approvalId, f('approvalId')),
        toolCallId: nonEmpty(part.toolCallId, f('toolCallId')),
        signature: optional(part.signature, f('signature'), text),
        inputSchemaInput: part.inputSchemaInput === undefined ? undefined : toJsonValue(part.inputSchemaInput, f('inputSchemaInput')),
      };
      break;
    default: // tool-approval-response
      known = {
        type,
        approvalId: nonEmpty(part.approvalId, f('approvalId')),
        approved: bool(part.approved, f('approved')),
        reason: optional(part.reason, f('reason'), text),
        providerExecuted: optional(part.providerExecuted, f('providerExecuted'), bool),
      };
  }
  return withRest(part, field, known) as unknown as MessagePart;
}

const OUTPUT_TYPES = ['text', 'json', 'error-text', 'error-json', 'execution-denied', 'content'] as const;

export function parseToolOutput(v: unknown, field: string): ToolResultOutput {
  if (!isPlainObject(v)) throw new ConfigError(field, `must be a tool output { type, value }, got ${kindOf(v)}`);
  const type = v.type as (typeof OUTPUT_TYPES)[number];
  if (!OUTPUT_TYPES.includes(type)) throw new ConfigError(`${field}.type`, `must be one of ${OUTPUT_TYPES.join(', ')}, got ${JSON.stringify(v.type)}`);
  const f = (name: string) => `${field}.${name}`;
  const providerOptions = optional(v.providerOptions, f('providerOptions'), parseProviderOptions);
  let known: Record<string, unknown>;
  switch (type) {
    case 'text':
    case 'error-text':
      known = { type, value: text(v.value, f('value')), providerOptions };
      break;
    case 'json':
    case 'error-json':
      if (v.value === undefined) throw new ConfigError(f('value'), 'must be a JSON value, got undefined');
      known = { type, value: toJsonValue(v.value, f('value')), providerOptions };
      break;
    case 'execution-denied':
      known = { type, reason: optional(v.reason, f('reason'), text), providerOptions };
      break;
    default:
      if (!Array.isArray(v.value)) throw new ConfigError(f('value'), `must be an array of content items, got ${kindOf(v.value)}`);
      known = { type, value: v.value.map((item, i) => parseContentItem(item, `${field}.value[${i}]`)) };
  }
  return withRest(v, field, known) as unknown as ToolResultOutput;
}

function parseContentItem(item: unknown, field: string): ToolOutputContentItem {
  if (!isPlainObject(item)) throw new ConfigError(field, `must be a content item { type, ... }, got ${kindOf(item)}`);
  const f = (name: string) => `${field}.${name}`;
  switch (item.type) {
    case 'text':
      return withRest(item, field, { type: 'text', text: text(item.text, f('text')) }) as ToolOutputContentItem;
    case 'media':
    case 'file-data':
    case 'image-data':
      throw new ConfigError(f('data'), `${INLINE}; a tool can return a file-url or image-url item instead`);
    case 'file-url':
    case 'image-url':
      return withRest(item, field, { type: item.type, url: reference(item.url, f('url')) }) as ToolOutputContentItem;
    case 'file-id':
    case 'image-file-id':
    case 'custom':
      return toJsonValue(item, field) as ToolOutputContentItem;
    default:
      throw new ConfigError(
        f('type'),
        `must be one of text, file-url, file-id, image-url, image-file-id, custom (media, file-data and image-data hold inline bytes), got ${JSON.stringify(item.type)}`,
      );
  }
}
