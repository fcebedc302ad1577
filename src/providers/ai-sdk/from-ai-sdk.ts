import { ConfigError } from '../../errors.js';
import type { CallFn, CallRequest, Message } from '../../types.js';
import { findInBandError, isErrorFinish } from './in-band-error.js';
import {
  describeNonModel,
  isAiSdkLanguageModel,
  readFinishReason,
  type AiSdkContentPart,
  type AiSdkExtraCallOptions,
  type AiSdkLanguageModel,
  type AiSdkPromptMessage,
  type FinishReason,
} from './language-model.js';
import { ProviderResponseError } from './provider-response-error.js';
import { readTextStream } from './read-text-stream.js';
import { toPrompt as defaultToPrompt } from './to-prompt.js';

/**
 * Picks the model for one attempt. It gets the profile id so a host can build one provider
 * instance per API key (`createOpenAICompatible({ apiKey: keys[profileId], ... })`): profiles
 * are how the engine rotates credentials, and keys never enter the engine.
 */
export type AiSdkModelResolver = (
  provider: string,
  model: string,
  profileId: string,
) => AiSdkLanguageModel | PromiseLike<AiSdkLanguageModel>;

/** `"provider/model"` → model (one credential per model), or a resolver (one per profile). */
export type AiSdkModels = Readonly<Record<string, AiSdkLanguageModel>> | AiSdkModelResolver;

export interface FromAiSdkOptions {
  /** Extra settings for every call, fixed or per attempt (e.g. `maxOutputTokens`, `providerOptions`). */
  callOptions?: AiSdkExtraCallOptions | ((req: CallRequest) => AiSdkExtraCallOptions);
  /** Replaces the default message mapping (see `toPrompt`), e.g. for hosts with real tool turns. */
  toPrompt?: (messages: readonly Message[]) => AiSdkPromptMessage[];
}

/**
 * Builds the `call` of `createRunActor()` from AI SDK language models.
 *
 * It calls the spec's `doGenerate` / `doStream` directly, below the AI SDK's `generateText`
 * retry layer (the same as `maxRetries: 0`): the engine is the only place that retries. Errors
 * the model throws, and the `error` part of a stream, are re-thrown unchanged so the classifier
 * sees the APICallError's `statusCode`, `responseHeaders` and `responseBody`. An error a
 * provider reports inside an HTTP 200 (`finish_reason: "error"` with an `error` object) is
 * thrown as that object; a content-filter finish and a stream cut without a finish part become
 * a ProviderResponseError.
 */
export function fromAiSdk(models: AiSdkModels, options: FromAiSdkOptions = {}): CallFn {
  const resolve = typeof models === 'function' ? checkedResolver(models) : mapResolver(models);
  const toPrompt = options.toPrompt ?? defaultToPrompt;
  const extra = options.callOptions;

  return async (req) => {
    const model = await resolve(req.provider, req.model, req.profileId);
    const callOptions = {
      ...(typeof extra === 'function' ? extra(req) : extra),
      prompt: toPrompt(req.messages),
      abortSignal: req.signal,
    };

    if (req.onDelta) {
      const { stream } = await model.doStream({ ...callOptions, includeRawChunks: true });
      const outcome = await readTextStream(stream, req.onDelta, req.signal);
      if (!outcome.finished) {
        throw new ProviderResponseError('incomplete_response', req.provider, req.model, 'the stream ended without a finish part');
      }
      checkFinish(outcome.finishReason, outcome.inBandError, req);
      return { content: outcome.text };
    }

    const result = await model.doGenerate(callOptions);
    checkFinish(readFinishReason(result.finishReason), findInBandError(result.response?.body), req);
    return { content: textOf(result.content) };
  };
}

function textOf(content: readonly AiSdkContentPart[]): string {
  let text = '';
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}

/** A finish that is really a failure must not be persisted as a reply. */
function checkFinish(reason: FinishReason, inBandError: unknown, req: CallRequest): void {
  if (isErrorFinish(reason.unified, reason.raw)) {
    // The provider's own error object says most (status code, type): the classifier reads it.
    if (inBandError !== undefined) throw inBandError;
    throw new ProviderResponseError('provider_error', req.provider, req.model, 'the provider ended the reply with finish reason "error"');
  }
  if (reason.unified === 'content-filter') {
    throw new ProviderResponseError('content_filter', req.provider, req.model, 'the provider stopped the reply with finish reason content-filter');
  }
}

function mapResolver(models: Readonly<Record<string, AiSdkLanguageModel>>): AiSdkModelResolver {
  // Checked up front: a wrong map is a host bug, better reported at construction than as a
  // provider failure the engine would retry and escalate through.
  for (const [key, value] of Object.entries(models)) {
    const slash = key.indexOf('/');
    if (slash <= 0 || slash === key.length - 1) {
      throw new ConfigError(`models["${key}"]`, 'keys must be "provider/model"');
    }
    if (!isAiSdkLanguageModel(value)) throw new ConfigError(`models["${key}"]`, `expected an AI SDK language model, got ${describeNonModel(value)}`);
  }
  return (provider, model) => {
    const key = `${provider}/${model}`;
    const found = Object.hasOwn(models, key) ? models[key] : undefined;
    if (!found) throw new ConfigError(`models["${key}"]`, 'no model for this chain entry');
    return found;
  };
}

function checkedResolver(resolver: AiSdkModelResolver): AiSdkModelResolver {
  return async (provider, model, profileId) => {
    const found: unknown = await resolver(provider, model, profileId);
    if (!isAiSdkLanguageModel(found)) {
      throw new ConfigError(`models(${provider}, ${model}, ${profileId})`, `expected an AI SDK language model, got ${describeNonModel(found)}`);
    }
    return found;
  };
}
