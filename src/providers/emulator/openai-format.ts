import type { EmulatedToolCall } from './types.js';
import { approxTokens, bearerToken, messagesOf, sseData, toolCallId, type ReplyContext, type WireFormat } from './wire-format.js';

/** OpenAI chat completions, as OpenAI-compatible providers (DeepSeek, Moonshot, ...) serve it. */
export const openAiFormat: WireFormat = {
  api: 'openai-chat',

  apiKey: bearerToken,

  read(body) {
    const options = body.stream_options as { include_usage?: unknown } | null | undefined;
    return {
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      prompt: messagesOf(body),
      streamUsage: typeof options === 'object' && options !== null && options.include_usage === true,
    };
  },

  replyJson(text, ctx, toolCalls = []) {
    if (toolCalls.length === 0) return completion(ctx, { role: 'assistant', content: text }, 'stop', approxTokens(text));
    const calls = toolCalls.map((c, i) => ({ id: toolCallId('call', ctx, c, i), type: 'function', function: { name: c.name, arguments: JSON.stringify(c.input) } }));
    return completion(ctx, { role: 'assistant', content: text === '' ? null : text, tool_calls: calls }, 'tool_calls', approxTokens(text) + toolTokens(toolCalls));
  },

  streamWriter(ctx, toolCalls = []) {
    let streamed = '';
    return {
      start: () => chunk(ctx, { role: 'assistant', content: '' }, null),
      delta: (text) => {
        streamed += text;
        return chunk(ctx, { content: text }, null);
      },
      end: ({ sentinel = true } = {}) => {
        // each call: its id and name first, then its arguments, as OpenAI streams them
        const calls = toolCalls
          .map(
            (c, i) =>
              chunk(ctx, { tool_calls: [{ index: i, id: toolCallId('call', ctx, c, i), type: 'function', function: { name: c.name, arguments: '' } }] }, null) +
              chunk(ctx, { tool_calls: [{ index: i, function: { arguments: JSON.stringify(c.input) } }] }, null),
          )
          .join('');
        const reason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
        return calls + finish(ctx, reason, approxTokens(streamed) + toolTokens(toolCalls)) + (sentinel ? DONE : '');
      },
    };
  },

  blocked(ctx) {
    // Azure OpenAI and OpenAI-compatible gateways stop a filtered answer this way, in a 200.
    return {
      json: completion(ctx, { role: 'assistant', content: null }, 'content_filter', 0),
      stream: chunk(ctx, { role: 'assistant', content: '' }, null) + finish(ctx, 'content_filter', 0) + DONE,
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

const DONE = 'data: [DONE]\n\n';

const toolTokens = (calls: readonly EmulatedToolCall[]): number => calls.reduce((n, c) => n + approxTokens(c.name + JSON.stringify(c.input)), 0);

const completionId = (ctx: ReplyContext) => `chatcmpl-emu-${ctx.seq}`;

function completion(ctx: ReplyContext, message: Record<string, unknown>, finishReason: string, completionTokens: number): string {
  return JSON.stringify({
    id: completionId(ctx),
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: usage(ctx, completionTokens),
  });
}

function chunk(ctx: ReplyContext, delta: Record<string, unknown>, finishReason: string | null): string {
  return sseData({
    id: completionId(ctx),
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
}

/**
 * The finish chunk, then (only when the request asked, as OpenAI does) a chunk with no choices
 * that carries the usage: a client that does not ask gets no usage from a stream.
 */
function finish(ctx: ReplyContext, finishReason: string, completionTokens: number): string {
  const done = chunk(ctx, {}, finishReason);
  if (!ctx.streamUsage) return done;
  return (
    done +
    sseData({
      id: completionId(ctx),
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      choices: [],
      usage: usage(ctx, completionTokens),
    })
  );
}

const usage = (ctx: ReplyContext, completionTokens: number) => ({
  prompt_tokens: ctx.promptTokens,
  completion_tokens: completionTokens,
  total_tokens: ctx.promptTokens + completionTokens,
});
