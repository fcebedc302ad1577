import type { EmulatedToolCall } from './types.js';
import { approxTokens, contentText, sseData, type ReplyContext, type WireFormat } from './wire-format.js';

/**
 * Gemini `generateContent` (JSON) and `streamGenerateContent?alt=sse` (SSE). The model and the
 * stream flag are in the path, not the body, so `read` leaves them to the route. A Gemini
 * stream has no end marker: the last chunk carries the finish reason and usage, then the
 * connection closes.
 */
export const geminiFormat: WireFormat = {
  api: 'gemini-generate',

  apiKey(headers, url) {
    const key = headers['x-goog-api-key'];
    if (typeof key === 'string' && key !== '') return key;
    return url.searchParams.get('key') ?? undefined;
  },

  read(body) {
    const system = contentText(partsOf(body.systemInstruction));
    const contents = Array.isArray(body.contents) ? (body.contents as unknown[]) : [];
    const messages = contents.map((c) => {
      const content = (typeof c === 'object' && c !== null ? c : {}) as { role?: unknown };
      // Gemini calls the assistant "model".
      const role = content.role === 'model' ? 'assistant' : typeof content.role === 'string' ? content.role : 'user';
      return { role, text: contentText(partsOf(c)) };
    });
    return {
      model: undefined,
      stream: false,
      prompt: [...(system === '' ? [] : [{ role: 'system', text: system }]), ...messages],
      streamUsage: true,
    };
  },

  replyJson(text, ctx, toolCalls = []) {
    const parts = [...(text === '' && toolCalls.length > 0 ? [] : [{ text }]), ...functionCalls(toolCalls)];
    return JSON.stringify(response(ctx, [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }], approxTokens(text) + toolTokens(toolCalls)));
  },

  streamWriter(ctx, toolCalls = []) {
    let streamed = '';
    return {
      start: () => '',
      delta: (text) => {
        streamed += text;
        return sseData({ candidates: [{ content: modelText(text), index: 0 }], modelVersion: ctx.model, responseId: responseId(ctx) });
      },
      // No end marker exists in this format, so `sentinel` changes nothing. Calls come whole, in the last chunk.
      end: () => {
        const calls = toolCalls.length > 0 ? [{ content: { parts: functionCalls(toolCalls), role: 'model' }, finishReason: 'STOP', index: 0 }] : [{ finishReason: 'STOP', index: 0 }];
        return sseData(response(ctx, calls, approxTokens(streamed) + toolTokens(toolCalls)));
      },
    };
  },

  blocked(ctx, blockReason) {
    // A blocked prompt is an HTTP 200 with no candidates and the reason in promptFeedback.
    const body = {
      promptFeedback: {
        blockReason,
        safetyRatings: [
          { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
          { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH' },
          { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
          { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
        ],
      },
      usageMetadata: { promptTokenCount: ctx.promptTokens, totalTokenCount: ctx.promptTokens },
      modelVersion: ctx.model,
      responseId: responseId(ctx),
    };
    return { json: JSON.stringify(body), stream: sseData(body) };
  },

  // Gemini answers a bad key with a 400, not a 401.
  unauthorized: () => ({
    status: 400,
    body: JSON.stringify({
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
      },
    }),
  }),

  invalidRequest: (message) => ({
    status: 400,
    body: JSON.stringify({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }),
  }),
};

const responseId = (ctx: ReplyContext) => `emu-gemini-${ctx.seq}`;

const modelText = (text: string) => ({ parts: [{ text }], role: 'model' });

// Gemini calls carry no id: the client names them itself.
const functionCalls = (calls: readonly EmulatedToolCall[]) => calls.map((c) => ({ functionCall: { name: c.name, args: c.input } }));
const toolTokens = (calls: readonly EmulatedToolCall[]): number => calls.reduce((n, c) => n + approxTokens(c.name + JSON.stringify(c.input)), 0);

function response(ctx: ReplyContext, candidates: unknown[], candidatesTokens: number) {
  return {
    candidates,
    usageMetadata: {
      promptTokenCount: ctx.promptTokens,
      candidatesTokenCount: candidatesTokens,
      totalTokenCount: ctx.promptTokens + candidatesTokens,
    },
    modelVersion: ctx.model,
    responseId: responseId(ctx),
  };
}

/** `{ parts: [{ text }] }` → the parts array, tolerant of anything. */
function partsOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { parts?: unknown }).parts : undefined;
}
