import { approxTokens, contentText, messagesOf, sseEvent, type ReplyContext, type WireFormat } from './wire-format.js';

/** Anthropic messages API. */
export const anthropicFormat: WireFormat = {
  api: 'anthropic-messages',

  apiKey(headers) {
    const key = headers['x-api-key'];
    if (typeof key === 'string' && key !== '') return key;
    // OAuth-style clients send a bearer token instead of x-api-key.
    const auth = headers.authorization;
    const match = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null;
    return match?.[1]?.trim();
  },

  prompt(body) {
    const system = contentText(body.system);
    return [...(system === '' ? [] : [{ role: 'system', text: system }]), ...messagesOf(body)];
  },

  replyJson(text, ctx) {
    return JSON.stringify({
      ...message(ctx),
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      usage: { input_tokens: ctx.promptTokens, output_tokens: approxTokens(text) },
    });
  },

  streamWriter(ctx) {
    let outputTokens = 0;
    return {
      start: () =>
        sseEvent('message_start', {
          type: 'message_start',
          message: { ...message(ctx), content: [], stop_reason: null, usage: { input_tokens: ctx.promptTokens, output_tokens: 1 } },
        }) +
        sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
        sseEvent('ping', { type: 'ping' }),
      delta: (text) => {
        outputTokens += approxTokens(text);
        return sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
      },
      end: () =>
        sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        sseEvent('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: outputTokens },
        }) +
        sseEvent('message_stop', { type: 'message_stop' }),
    };
  },

  unauthorized: () => ({
    status: 401,
    body: JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }),
  }),

  invalidRequest: (message) => ({
    status: 400,
    body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }),
  }),
};

const message = (ctx: ReplyContext) => ({
  id: `msg_emu_${ctx.seq}`,
  type: 'message',
  role: 'assistant',
  model: ctx.model,
  stop_sequence: null,
});
