import type { EmulatedToolCall } from './types.js';
import { approxTokens, bearerToken, contentText, messagesOf, sseEvent, toolCallId, type ReplyContext, type WireFormat } from './wire-format.js';

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

  replyJson(text, ctx, toolCalls = []) {
    if (toolCalls.length === 0) return messageJson(ctx, [{ type: 'text', text }], 'end_turn', approxTokens(text));
    const blocks = [...(text === '' ? [] : [{ type: 'text', text }]), ...toolCalls.map((c, i) => ({ type: 'tool_use', id: toolCallId('toolu', ctx, c, i), name: c.name, input: c.input }))];
    return messageJson(ctx, blocks, 'tool_use', approxTokens(text) + toolTokens(toolCalls));
  },

  streamWriter(ctx, toolCalls = []) {
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
      end: ({ sentinel = true } = {}) => {
        // each call a tool_use block after the text block: its start, its input as one JSON delta, its stop
        const calls = toolCalls
          .map((c, i) => {
            const index = i + 1;
            return (
              sseEvent('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolCallId('toolu', ctx, c, i), name: c.name, input: {} } }) +
              sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(c.input) } }) +
              sseEvent('content_block_stop', { type: 'content_block_stop', index })
            );
          })
          .join('');
        const reason = toolCalls.length > 0 ? 'tool_use' : 'end_turn';
        return sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) + calls + messageEnd(reason, approxTokens(streamed) + toolTokens(toolCalls), sentinel);
      },
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

const toolTokens = (calls: readonly EmulatedToolCall[]): number => calls.reduce((n, c) => n + approxTokens(c.name + JSON.stringify(c.input)), 0);

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
