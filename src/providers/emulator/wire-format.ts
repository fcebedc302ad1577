import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorApi } from './types.js';

/** One successful SSE answer, event by event, so a fault can cut or stall it anywhere. */
export interface StreamWriter {
  /** Events before the first text delta (may be empty). */
  start(): string;
  delta(text: string): string;
  /**
   * Events after the last delta: finish reason, usage, and the format's end marker unless
   * `sentinel` is false (then the stream ends right after its finish, as a cut proxy leaves it).
   */
  end(options?: { sentinel?: boolean }): string;
}

export interface ReplyContext {
  /** Unique per request, for response ids. */
  seq: number;
  /** The model the answer names. */
  model: string;
  /** Seconds since epoch, from the emulator's clock. */
  created: number;
  promptTokens: number;
  /**
   * Whether a stream should carry usage. OpenAI sends it only when the request asks
   * (`stream_options.include_usage`); the other formats always send it and ignore this.
   */
  streamUsage: boolean;
}

/** What the emulator reads from a request body; fields the path carries (Gemini's model) may be absent. */
export interface ParsedRequest {
  model: string | undefined;
  stream: boolean;
  /** Flattened messages, system prompt first. */
  prompt: { role: string; text: string }[];
  streamUsage: boolean;
}

/** Everything that differs between the wire formats: parsing and writing. */
export interface WireFormat {
  readonly api: EmulatorApi;
  apiKey(headers: IncomingHttpHeaders, url: URL): string | undefined;
  read(body: Record<string, unknown>): ParsedRequest;
  replyJson(text: string, ctx: ReplyContext): string;
  streamWriter(ctx: ReplyContext): StreamWriter;
  /** A 200 that refuses to answer, in the format's own words, as a JSON body and as a stream body. */
  blocked(ctx: ReplyContext, blockReason: string): { json: string; stream: string };
  /** The format's own "bad key" error. It never echoes the key. */
  unauthorized(): { status: number; body: string };
  invalidRequest(message: string): { status: number; body: string };
}

/** A rough token count, only so usage fields look like a real answer; a text counts the same streamed or not. */
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

/** `Authorization: Bearer <key>`, as OpenAI clients (and Anthropic OAuth clients) send it. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const match = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim();
}
