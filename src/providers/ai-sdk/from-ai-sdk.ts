import { isPlainObject } from '../../config/json-value.js';
import { ConfigError } from '../../errors.js';
import { messageText, type AssistantMessage } from '../../message-types.js';
import type { CallFn, CallRequest, CallResult, Message, Usage } from '../../types.js';
import { callOptionsFor } from './call-options.js';
import { historyForTarget, namespaceOf } from './history-for-target.js';
import { findInBandError, isErrorFinish } from './in-band-error.js';
import {
  describeNonModel,
  isAiSdkLanguageModel,
  readFinishReason,
  type AiSdkExtraCallOptions,
  type AiSdkLanguageModel,
  type AiSdkPromptMessage,
  type FinishReason,
} from './language-model.js';
import { ProviderResponseError } from './provider-response-error.js';
import { modelNamed } from './raw-chunks.js';
import { readTextStream } from './read-text-stream.js';
import { resolveReferences } from './resolve-references.js';
import { responseMessage, type SaveFile } from './response-message.js';
import { toPrompt } from './to-prompt.js';
import { readUsage } from './usage.js';

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
  /**
   * Settings per candidate (`"provider/model"`) or per provider (`"provider"`), over
   * `callOptions`, the more specific last; `providerOptions` are merged per provider key. E.g. a
   * smaller `maxOutputTokens` for a fallback, or thinking on for one model only.
   */
  candidateOptions?: Readonly<Record<string, AiSdkExtraCallOptions>>;
  /**
   * Replaces the message mapping (`toPrompt` then `historyForTarget`): the host then owns the
   * prompt entirely, provider by provider.
   */
  toPrompt?: (messages: readonly Message[]) => AiSdkPromptMessage[];
  /**
   * Reads a stored reference that is not an http(s) URL (`blobs://…`, `s3://…`) when a message
   * with it goes to a model: answer with the bytes (or base64), or a URL the provider can read.
   * Without it such a reference is passed on as a URL.
   */
  resolveReference?: (url: URL, part: { mediaType: string }) => PromiseLike<Uint8Array | string | URL>;
  /** Stores a file the model generated and answers with the URL to keep in the session instead of its bytes (see SaveFile). */
  saveFile?: SaveFile;
}

/**
 * Builds the `call` of `createRunActor()` from AI SDK language models.
 *
 * It calls the spec's `doGenerate` / `doStream` directly, below the AI SDK's `generateText`
 * retry layer (the same as `maxRetries: 0`): the engine is the only place that retries. Errors
 * the model throws, and the `error` part of a stream, are re-thrown unchanged so the classifier
 * sees the APICallError's `statusCode`, `responseHeaders` and `responseBody`. An error a
 * provider reports inside an HTTP 200 (`finish_reason: "error"` with an `error` object) is
 * thrown as that object; a content-filter finish (a refusal, a blocked prompt) and an answer
 * cut before the provider's finish become a ProviderResponseError.
 *
 * The result carries the provider's `usage`, `finishReason` and `responseModel` when it
 * reported them (a stream reports usage only if the provider was asked: docs/providers.md),
 * and, for an answer with tool calls (or reasoning, files, metadata), the assistant message.
 * The run's messages go out with every part, the history made valid for the model that reads
 * it (historyForTarget), with the run's tools and the host's options for that candidate.
 */
export function fromAiSdk(models: AiSdkModels, options: FromAiSdkOptions = {}): CallFn {
  const resolve = typeof models === 'function' ? checkedResolver(models) : mapResolver(models);
  checkOptions(options);

  return async (req) => {
    const model = await resolve(req.provider, req.model, req.profileId);
    const namespace = namespaceOf(model.provider);
    const prompt = options.toPrompt
      ? options.toPrompt(req.messages)
      : historyForTarget(toPrompt(req.messages), { namespace, specificationVersion: model.specificationVersion });
    const callOptions = {
      ...callOptionsFor(req, options),
      prompt: await resolveReferences(prompt, options.resolveReference),
      abortSignal: req.signal,
    };

    if (req.onDelta) {
      const { stream } = await model.doStream({ ...callOptions, includeRawChunks: true });
      const outcome = await readTextStream(stream, { onDelta: req.onDelta, onActivity: req.onActivity }, req.signal);
      const answer = { usage: outcome.usage, finishReason: outcome.finishReason, responseModel: outcome.responseModel };
      if (!outcome.finished || !outcome.finishReason.reported) {
        throw new ProviderResponseError('incomplete_response', req.provider, req.model, 'the stream ended before the provider finished the answer', details(answer));
      }
      checkFinish(answer, outcome.inBandError, req);
      return callResult(await responseMessage(outcome.content, namespace, options.saveFile), answer);
    }

    const result = await model.doGenerate(callOptions);
    const answer = {
      usage: readUsage(result.usage),
      finishReason: readFinishReason(result.finishReason),
      responseModel: nonEmpty(result.response?.modelId) ?? modelNamed(result.response?.body),
    };
    const inBandError = findInBandError(result.response?.body);
    checkFinish(answer, inBandError, req);
    const message = await responseMessage(result.content, namespace, options.saveFile);
    // An error object beside an empty answer is the failure, whatever finish it claims (a gateway
    // relaying an upstream 429 inside a 200 whose choice says "stop").
    if (message === undefined && inBandError !== undefined) throw inBandError;
    if (message === undefined && !answer.finishReason.reported) {
      throw new ProviderResponseError('incomplete_response', req.provider, req.model, 'the answer had no content and no finish reason', details(answer));
    }
    // No content and a finish of the provider's own beyond the spec's list (Gemini OTHER,
    // IMAGE_PROHIBITED_CONTENT, NO_IMAGE): generation stopped without output, which is no reply.
    if (message === undefined && answer.finishReason.unified === 'other' && answer.finishReason.raw !== undefined) {
      throw new ProviderResponseError('provider_error', req.provider, req.model, `the provider stopped with finish reason ${answer.finishReason.raw} and sent no content`, details(answer));
    }
    return callResult(message, answer);
  };
}

function checkOptions(o: FromAiSdkOptions): void {
  for (const name of ['toPrompt', 'resolveReference', 'saveFile'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new ConfigError(name, 'must be a function');
  }
  if (o.callOptions !== undefined && typeof o.callOptions !== 'function' && !isPlainObject(o.callOptions)) throw new ConfigError('callOptions', 'must be an object or a function of the request');
  if (o.candidateOptions === undefined) return;
  if (!isPlainObject(o.candidateOptions)) throw new ConfigError('candidateOptions', 'must be an object of "provider/model" (or "provider") → call options');
  for (const [key, value] of Object.entries(o.candidateOptions)) {
    if (!isPlainObject(value)) throw new ConfigError(`candidateOptions["${key}"]`, 'must be an object of call options');
    if ('prompt' in value || 'abortSignal' in value) throw new ConfigError(`candidateOptions["${key}"]`, 'may not set prompt or abortSignal: the adapter sets them');
  }
}

/** What the provider reported about one answer, before it is judged. */
interface Answer {
  usage: Usage | undefined;
  finishReason: FinishReason;
  responseModel: string | undefined;
}

/** A finish that is really a failure must not be persisted as a reply. */
function checkFinish(answer: Answer, inBandError: unknown, req: CallRequest): void {
  const reason = answer.finishReason;
  if (isErrorFinish(reason.unified, reason.raw)) {
    // The provider's own error object says most (status code, type): the classifier reads it.
    if (inBandError !== undefined) throw inBandError;
    throw new ProviderResponseError('provider_error', req.provider, req.model, 'the provider ended the reply with finish reason "error"', details(answer));
  }
  if (reason.unified === 'content-filter') {
    const why = reason.raw === undefined ? '' : ` (${reason.raw})`;
    throw new ProviderResponseError('content_filter', req.provider, req.model, `the provider refused or stopped the reply with finish reason content-filter${why}`, details(answer));
  }
}

/**
 * Only the fields the provider reported: an absent field stays absent, never `undefined`. A
 * text answer is `{ content }` as it always was; an answer with tool calls (or reasoning, files,
 * metadata) is also its assistant message, which the run keeps as it is.
 */
function callResult(message: AssistantMessage | undefined, answer: Answer): CallResult {
  if (message === undefined || typeof message.content === 'string') return { content: message ? messageText(message) : '', ...details(answer) };
  return { content: messageText(message), messages: [message], ...details(answer) };
}

function details(answer: Answer): { usage?: Usage; finishReason?: string; responseModel?: string } {
  const finishReason = answer.finishReason.unified ?? answer.finishReason.raw;
  return {
    ...(answer.usage && { usage: answer.usage }),
    ...(finishReason !== undefined && { finishReason }),
    ...(answer.responseModel !== undefined && { responseModel: answer.responseModel }),
  };
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

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
