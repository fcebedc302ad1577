import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatedToolCall, EmulatorApi } from './types.js';

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
  /** A whole answer: the text, then the tool calls if any (the finish then says so). */
  replyJson(text: string, ctx: ReplyContext, toolCalls?: readonly EmulatedToolCall[]): string;
  /** A streamed answer; its tool calls, if any, go out in `end()`, before the finish. */
  streamWriter(ctx: ReplyContext, toolCalls?: readonly EmulatedToolCall[]): StreamWriter;
  /** A 200 that refuses to answer, in the format's own words, as a JSON body and as a stream body. */
  blocked(ctx: ReplyContext, blockReason: string): { json: string; stream: string };
  /** The format's own "bad key" error. It never echoes the key. */
  unauthorized(): { status: number; body: string };
  invalidRequest(message: string): { status: number; body: string };
}

/** A rough token count, only so usage fields look like a real answer; a text counts the same streamed or not. */
export const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

const json = (v: unknown): string => {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v ?? null);
  } catch {
    return '?';
  }
};

/** A content block of any of the formats as text: its text, or a tool call or result in brackets. */
function blockText(part: unknown): string {
  if (part === null || typeof part !== 'object') return '';
  const p = part as Record<string, unknown>;
  if (typeof p.text === 'string') return p.text;
  // Anthropic
  if (p.type === 'tool_use') return `[tool-call ${String(p.name)} ${json(p.input)}]`;
  if (p.type === 'tool_result') return `[tool-result ${String(p.tool_use_id)}: ${contentText(p.content)}]`;
  // Gemini
  const call = p.functionCall as { name?: unknown; args?: unknown } | undefined;
  if (call && typeof call === 'object') return `[tool-call ${String(call.name)} ${json(call.args)}]`;
  const response = p.functionResponse as { name?: unknown; response?: unknown } | undefined;
  if (response && typeof response === 'object') return `[tool-result ${String(response.name)}: ${json(response.response)}]`;
  return '';
}

/** Text of a message content that is a string or an array of blocks (text, tool calls and results in brackets). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map(blockText).join('');
}

/** `[{ role, content }]` of a request body, tolerant of anything a client might send. */
export function messagesOf(body: Record<string, unknown>): { role: string; text: string }[] {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  return messages.map((m) => {
    const msg = (typeof m === 'object' && m !== null ? m : {}) as { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };
    let text = contentText(msg.content);
    // OpenAI: calls beside the content, a result as a tool message naming its call
    if (Array.isArray(msg.tool_calls)) {
      for (const c of msg.tool_calls as { function?: { name?: unknown; arguments?: unknown } }[]) text += `[tool-call ${String(c?.function?.name)} ${json(c?.function?.arguments)}]`;
    }
    if (msg.role === 'tool' && typeof msg.tool_call_id === 'string') text = `[tool-result ${msg.tool_call_id}: ${text}]`;
    return { role: typeof msg.role === 'string' ? msg.role : 'unknown', text };
  });
}

/** The id a call goes out with: its own, or one made from the request's number and the call's place. */
export const toolCallId = (prefix: string, ctx: ReplyContext, call: EmulatedToolCall, i: number): string => call.id ?? `${prefix}_emu_${ctx.seq}_${i}`;

export const sseData = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
export const sseEvent = (event: string, value: unknown): string => `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;

/** `Authorization: Bearer <key>`, as OpenAI clients (and Anthropic OAuth clients) send it. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const match = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim();
}
