import { ConfigError } from '../../errors.js';
import type { CallFn, CallRequest, Message } from '../../types.js';
import {
  describeNonModel,
  isAiSdkLanguageModel,
  unifiedFinishReason,
  type AiSdkContentPart,
  type AiSdkExtraCallOptions,
  type AiSdkLanguageModel,
  type AiSdkPromptMessage,
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
 * sees the APICallError's `statusCode`, `responseHeaders` and `responseBody`.
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
      const { stream } = await model.doStream(callOptions);
      const outcome = await readTextStream(stream, req.onDelta, req.signal);
      if (!outcome.finished) {
        throw new ProviderResponseError('incomplete_response', req.provider, req.model, 'the stream ended without a finish part');
      }
      checkFinishReason(outcome.finishReason, req);
      return { content: outcome.text };
    }

    const result = await model.doGenerate(callOptions);
    checkFinishReason(unifiedFinishReason(result.finishReason), req);
    return { content: textOf(result.content) };
  };
}

function textOf(content: readonly AiSdkContentPart[]): string {
  let text = '';
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}

function checkFinishReason(reason: string | undefined, req: CallRequest): void {
  if (reason === 'content-filter') {
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
