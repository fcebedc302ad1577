import type { Usage } from '../../types.js';
import { findInBandError } from './in-band-error.js';
import type { FinishReason } from './language-model.js';
import { count, makeUsage } from './usage.js';

/** What the provider's own chunks said that the spec parts may leave out. */
export interface RawFindings {
  /** The last error object a chunk carried in-band (see findInBandError). */
  inBandError: unknown;
  /** The model a chunk names, for SDKs that report no `modelId` (@ai-sdk/google). */
  modelName: string | undefined;
  /**
   * An Anthropic stop reason and usage from `message_delta`. The AI SDK reports them only when
   * `message_stop` follows, so a stream that closes cleanly without that end marker would
   * otherwise look cut although the answer was complete.
   */
  anthropicFinish: { reason: FinishReason; usage: Usage | undefined } | undefined;
}

/** Collects RawFindings from the `raw` parts of a stream (`includeRawChunks: true`). */
export function createRawReader(): { read(rawValue: unknown): void; findings(): RawFindings } {
  let inBandError: unknown;
  let modelName: string | undefined;
  let stopReason: string | undefined;
  const tokens: { input?: number; cacheRead?: number; cacheWrite?: number; output?: number } = {};

  const read = (raw: unknown): void => {
    if (!isObject(raw)) return;
    inBandError = findInBandError(raw) ?? inBandError;
    modelName ??= modelNamed(raw);
    if (raw.type === 'message_start' && isObject(raw.message)) readAnthropicUsage(raw.message.usage, tokens);
    if (raw.type === 'message_delta') {
      readAnthropicUsage(raw.usage, tokens);
      const delta = raw.delta;
      if (isObject(delta) && typeof delta.stop_reason === 'string') stopReason = delta.stop_reason;
    }
  };

  const findings = (): RawFindings => ({
    inBandError,
    modelName,
    anthropicFinish:
      stopReason === undefined
        ? undefined
        : {
            reason: { unified: ANTHROPIC_STOP_REASONS[stopReason] ?? 'other', raw: stopReason, reported: true },
            usage: makeUsage({
              inputTokens: tokens.input === undefined ? undefined : tokens.input + (tokens.cacheRead ?? 0) + (tokens.cacheWrite ?? 0),
              outputTokens: tokens.output,
              cachedInputTokens: tokens.cacheRead,
            }),
          },
  });

  return { read, findings };
}

/** The model an answer body or chunk names: `model` (OpenAI), `message.model` (Anthropic), `modelVersion` (Gemini). */
export function modelNamed(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  for (const value of [body.model, isObject(body.message) ? body.message.model : undefined, body.modelVersion]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

// The AI SDK's own mapping of Anthropic stop reasons, so a refusal stays a content filter.
const ANTHROPIC_STOP_REASONS: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

function readAnthropicUsage(usage: unknown, into: { input?: number; cacheRead?: number; cacheWrite?: number; output?: number }): void {
  if (!isObject(usage)) return;
  into.input = count(usage.input_tokens) ?? into.input;
  into.cacheRead = count(usage.cache_read_input_tokens) ?? into.cacheRead;
  into.cacheWrite = count(usage.cache_creation_input_tokens) ?? into.cacheWrite;
  into.output = count(usage.output_tokens) ?? into.output;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
