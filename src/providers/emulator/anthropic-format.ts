import { approxTokens, bearerToken, contentText, messagesOf, sseEvent, type ReplyContext, type WireFormat } from './wire-format.js';

/** Anthropic messages API. */
export const anthropicFormat: WireFormat = {
  api: 'anthropic-messages',

  apiKey(headers) {
    const key = headers['x-api-key'];
    if (typeof key === 'string' && key !== '') return key;
    // OAuth-style clients send a bearer token instead of x-api-key.
    return bearerToken(headers);
  },

  read(body) {
    const system = contentText(body.system);
    return {
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      prompt: [...(system === '' ? [] : [{ role: 'system', text: system }]), ...messagesOf(body)],
      streamUsage: true,
    };
  },

  replyJson(text, ctx) {
    return messageJson(ctx, [{ type: 'text', text }], 'end_turn', approxTokens(text));
  },

  streamWriter(ctx) {
    let streamed = '';
    return {
      start: () =>
        messageStart(ctx) +
        sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
        sseEvent('ping', { type: 'ping' }),
      delta: (text) => {
        streamed += text;
        return sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
      },
      end: ({ sentinel = true } = {}) =>
        sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) + messageEnd('end_turn', approxTokens(streamed), sentinel),
    };
  },

  blocked(ctx) {
    // Claude's streaming classifiers end a refused answer with stop_reason "refusal", in a 200.
    return {
      json: messageJson(ctx, [], 'refusal', 0),
      stream: messageStart(ctx) + messageEnd('refusal', 0, true),
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

function messageJson(ctx: ReplyContext, content: unknown[], stopReason: string, outputTokens: number): string {
  return JSON.stringify({
    ...message(ctx),
    content,
    stop_reason: stopReason,
    usage: { input_tokens: ctx.promptTokens, output_tokens: outputTokens },
  });
}

const messageStart = (ctx: ReplyContext) =>
  sseEvent('message_start', {
    type: 'message_start',
    message: { ...message(ctx), content: [], stop_reason: null, usage: { input_tokens: ctx.promptTokens, output_tokens: 1 } },
  });

/** `message_delta` carries the stop reason and usage; `message_stop` is only the end marker. */
const messageEnd = (stopReason: string, outputTokens: number, sentinel: boolean) =>
  sseEvent('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens },
  }) + (sentinel ? sseEvent('message_stop', { type: 'message_stop' }) : '');
