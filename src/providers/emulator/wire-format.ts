import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorApi } from './types.js';

/** One successful SSE answer, event by event, so a drop can cut it anywhere. */
export interface StreamWriter {
  /** Events before the first text delta (may be empty). */
  start(): string;
  delta(text: string): string;
  /** Events after the last delta: finish reason, usage, end marker. */
  end(): string;
}

export interface ReplyContext {
  /** Unique per request, for response ids. */
  seq: number;
  model: string;
  /** Seconds since epoch, from the emulator's clock. */
  created: number;
  promptTokens: number;
}

/** Everything that differs between the OpenAI and the Anthropic wire: parsing and writing. */
export interface WireFormat {
  readonly api: EmulatorApi;
  apiKey(headers: IncomingHttpHeaders): string | undefined;
  /** Flattened messages of a parsed request body, system prompt first. */
  prompt(body: Record<string, unknown>): { role: string; text: string }[];
  replyJson(text: string, ctx: ReplyContext): string;
  streamWriter(ctx: ReplyContext): StreamWriter;
  /** The format's own "bad key" error. It never echoes the key. */
  unauthorized(): { status: number; body: string };
  invalidRequest(message: string): { status: number; body: string };
}

/** A rough token count, only so usage fields look like a real answer. */
export const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/** Text of a message content that is either a string or an array of `{ type: 'text', text }` blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const p = part as { type?: unknown; text?: unknown } | null;
      return p !== null && typeof p === 'object' && typeof p.text === 'string' ? p.text : '';
    })
    .join('');
}

/** `[{ role, content }]` of a request body, tolerant of anything a client might send. */
export function messagesOf(body: Record<string, unknown>): { role: string; text: string }[] {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  return messages.map((m) => {
    const msg = (typeof m === 'object' && m !== null ? m : {}) as { role?: unknown; content?: unknown };
    return { role: typeof msg.role === 'string' ? msg.role : 'unknown', text: contentText(msg.content) };
  });
}

export const sseData = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
export const sseEvent = (event: string, value: unknown): string => `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
