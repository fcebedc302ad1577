import { approxTokens, messagesOf, sseData, type ReplyContext, type WireFormat } from './wire-format.js';

/** OpenAI chat completions, as OpenAI-compatible providers (DeepSeek, Moonshot, ...) serve it. */
export const openAiFormat: WireFormat = {
  api: 'openai-chat',

  apiKey(headers) {
    const auth = headers.authorization;
    const match = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
    return match?.[1]?.trim();
  },

  prompt: messagesOf,

  replyJson(text, ctx) {
    return JSON.stringify({
      id: completionId(ctx),
      object: 'chat.completion',
      created: ctx.created,
      model: ctx.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: usage(ctx, approxTokens(text)),
    });
  },

  streamWriter(ctx) {
    let completionTokens = 0;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
      sseData({
        id: completionId(ctx),
        object: 'chat.completion.chunk',
        created: ctx.created,
        model: ctx.model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
        ...extra,
      });
    return {
      start: () => chunk({ role: 'assistant', content: '' }, null),
      delta: (text) => {
        completionTokens += approxTokens(text);
        return chunk({ content: text }, null);
      },
      end: () => chunk({}, 'stop', { usage: usage(ctx, completionTokens) }) + 'data: [DONE]\n\n',
    };
  },

  unauthorized: () => ({
    status: 401,
    body: JSON.stringify({
      error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    }),
  }),

  invalidRequest: (message) => ({
    status: 400,
    body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }),
  }),
};

const completionId = (ctx: ReplyContext) => `chatcmpl-emu-${ctx.seq}`;

const usage = (ctx: ReplyContext, completionTokens: number) => ({
  prompt_tokens: ctx.promptTokens,
  completion_tokens: completionTokens,
  total_tokens: ctx.promptTokens + completionTokens,
});
