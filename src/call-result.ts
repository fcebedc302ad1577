import type { StepOutput } from '../machines/run-types.js';
import { isPlainObject } from './config/json-value.js';
import { parseMessage } from './config/parse-messages.js';
import { isLlmFailoverError } from './errors.js';
import { WrongCallResult } from './host-error.js';
import type { AssistantMessage, Message, ToolMessage } from './message-types.js';
import { wellFormed } from './store/text-checks.js';
import type { Usage } from './types.js';

const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens', 'cachedInputTokens'] as const;

/** The counts a host reported that are counts; anything else is left out rather than failing a served call. */
function usageOf(v: unknown): Usage | undefined {
  if (!isPlainObject(v)) return undefined;
  const usage: Usage = {};
  for (const field of USAGE_FIELDS) {
    const n = v[field];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) usage[field] = n;
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}

const nonEmptyString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? wellFormed(v) : undefined);

/**
 * A string made well-formed before it is checked: SQLite cannot store a lone surrogate, and a
 * provider's text is kept, not refused (the output, the session and every cache then agree).
 */
function storable(m: unknown): unknown {
  return isPlainObject(m) && typeof m.content === 'string' ? { ...m, content: wellFormed(m.content) } : m;
}

function messagesOf(result: Record<string, unknown>): Message[] {
  const list = result.messages;
  if (!Array.isArray(list) || list.length === 0) throw new WrongCallResult(result, '`messages` must be a non-empty array');
  const messages = list.map((m, i) => {
    try {
      return parseMessage(storable(m), `messages[${i}]`);
    } catch (err) {
      if (isLlmFailoverError(err)) throw new WrongCallResult(result, err.message.replace(/^Invalid option /, ''));
      throw err;
    }
  });
  messages.forEach((m, i) => {
    if (m.role !== 'assistant' && m.role !== 'tool') throw new WrongCallResult(result, `messages[${i}] has role ${m.role}: a call produces assistant and tool messages only`);
  });
  if (!messages.some((m) => m.role === 'assistant')) throw new WrongCallResult(result, 'no assistant message among them');
  return messages as (AssistantMessage | ToolMessage)[];
}

/**
 * What a served call produced, checked and canonical: `messages` when the call gave them (an
 * assistant tool call, say), else its `content` as one assistant message. Anything the run
 * could not keep exactly is a WrongCallResult, a `host_error`.
 */
export function readCallResult(value: unknown): StepOutput {
  if (typeof value !== 'object' || value === null) throw new WrongCallResult(value);
  const result = value as Record<string, unknown>;
  let messages: Message[];
  if (result.messages !== undefined) messages = messagesOf(result);
  else if (typeof result.content === 'string') messages = [{ role: 'assistant', content: wellFormed(result.content) }];
  else throw new WrongCallResult(result);
  const usage = usageOf(result.usage);
  const finishReason = nonEmptyString(result.finishReason);
  const responseModel = nonEmptyString(result.responseModel);
  // the usual answer (no usage, finish reason or model) as a literal of its own: spreads of
  // conditional literals are copied the generic way, one by one
  if (!usage && finishReason === undefined && responseModel === undefined) return { messages };
  return {
    messages,
    ...(usage && { usage }),
    ...(finishReason !== undefined && { finishReason }),
    ...(responseModel !== undefined && { responseModel }),
  };
}

/**
 * Tokens a failed call reported (a refusal billed its prompt, say): kept on its attempt record,
 * never counted as the answer's cost. Reading a host's error must never throw.
 */
export function usageOfError(err: unknown): Usage | undefined {
  try {
    return typeof err === 'object' && err !== null && 'usage' in err ? usageOf((err as { usage: unknown }).usage) : undefined;
  } catch {
    return undefined;
  }
}
