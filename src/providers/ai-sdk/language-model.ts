/**
 * The slice of an AI SDK language model that `fromAiSdk` relies on, written structurally so
 * that a host needs no `@ai-sdk/provider` install for our types to compile, and so that one
 * shape accepts every spec version whose text path is the same (v2, v3, v4).
 */
import type { JsonObject, ProviderOptions, ToolResultOutput } from '../../message-types.js';

export const SUPPORTED_SPEC_VERSIONS = ['v2', 'v3', 'v4'] as const;
export type AiSdkSpecVersion = (typeof SUPPORTED_SPEC_VERSIONS)[number];

type Options = ProviderOptions;

export interface AiSdkTextPart {
  type: 'text';
  text: string;
  providerOptions?: Options;
}
export interface AiSdkFilePart {
  type: 'file';
  /** A URL the provider reads, or the bytes (as bytes or base64) `resolveReference` gave. */
  data: URL | Uint8Array | string;
  mediaType: string;
  filename?: string;
  providerOptions?: Options;
}
export interface AiSdkReasoningPart {
  type: 'reasoning';
  text: string;
  providerOptions?: Options;
}
export interface AiSdkToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** A JSON value (in the prompt; results carry it as a JSON string). */
  input: unknown;
  providerExecuted?: boolean;
  providerOptions?: Options;
}
export interface AiSdkToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: ToolResultOutput;
  providerOptions?: Options;
}

/** The spec's prompt (v2 and v3 share this shape; v2 knows fewer tool output kinds, see toPrompt). */
export type AiSdkPromptMessage =
  | { role: 'system'; content: string; providerOptions?: Options }
  | { role: 'user'; content: (AiSdkTextPart | AiSdkFilePart)[]; providerOptions?: Options }
  | { role: 'assistant'; content: (AiSdkTextPart | AiSdkFilePart | AiSdkReasoningPart | AiSdkToolCallPart | AiSdkToolResultPart)[]; providerOptions?: Options }
  | { role: 'tool'; content: (AiSdkToolResultPart | AiSdkToolApprovalResponsePart)[]; providerOptions?: Options };

/** v3's answer to an approval request of a provider-executed tool; we never produce it, the spec allows it. */
export interface AiSdkToolApprovalResponsePart {
  type: 'tool-approval-response';
  approvalId: string;
  approved: boolean;
  reason?: string;
  providerOptions?: Options;
}

/** A function tool as the spec takes it. */
export interface AiSdkFunctionTool {
  type: 'function';
  name: string;
  description?: string;
  inputSchema: JsonObject;
  providerOptions?: Options;
}

export type AiSdkToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; toolName: string };

/**
 * Settings a host may add to every call (`maxOutputTokens`, `temperature`, `providerOptions`,
 * `headers`, `tools` and `toolChoice` when the run has none, ...). `prompt` and `abortSignal`
 * are always set by the adapter.
 */
export type AiSdkExtraCallOptions = Record<string, unknown> & { prompt?: never; abortSignal?: never };

export interface AiSdkCallOptions {
  prompt: AiSdkPromptMessage[];
  abortSignal?: AbortSignal;
  /** Asks for `raw` stream parts: the only place some in-band errors survive. */
  includeRawChunks?: boolean;
  /** Function tools (we produce only these); the spec's provider tools fit the looser member. */
  tools?: (AiSdkFunctionTool | { type: string; name: string })[];
  toolChoice?: AiSdkToolChoice;
}

/** A part of a result's `content` (doGenerate), or a stream part that carries the same (tool calls, files). */
export interface AiSdkContentPart {
  type: string;
  text?: unknown;
  /** tool-call: a JSON string. */
  input?: unknown;
  toolCallId?: unknown;
  toolName?: unknown;
  providerExecuted?: unknown;
  /** tool-result (provider-executed). */
  result?: unknown;
  isError?: unknown;
  /** file. */
  mediaType?: unknown;
  data?: unknown;
  /** tool-approval-request. */
  approvalId?: unknown;
  providerMetadata?: unknown;
}

export interface AiSdkStreamPart extends AiSdkContentPart {
  type: string;
  /** text-*, reasoning-*: which block the part belongs to. */
  id?: unknown;
  delta?: unknown;
  error?: unknown;
  finishReason?: unknown;
  /** `finish`: flat (v2) or nested (v3/v4) token counts. */
  usage?: unknown;
  /** `response-metadata`: the model the provider says answered. */
  modelId?: unknown;
  rawValue?: unknown;
}

export interface AiSdkGenerateResult {
  content: readonly AiSdkContentPart[];
  finishReason?: unknown;
  usage?: unknown;
  /** v3/v4 (and v2) keep the parsed response body here; it is where in-band errors live. */
  response?: { body?: unknown; modelId?: unknown };
}

export interface AiSdkLanguageModel {
  readonly specificationVersion: AiSdkSpecVersion;
  /** `anthropic.messages`, `openai.chat`, `deepseek.chat`, ...: its first segment keys the provider's options and metadata. */
  readonly provider: string;
  readonly modelId: string;
  // Method syntax on purpose: it keeps the parameter check bivariant, so the SDK's richer
  // call-option types are accepted here.
  doGenerate(options: AiSdkCallOptions): PromiseLike<AiSdkGenerateResult>;
  doStream(options: AiSdkCallOptions): PromiseLike<{ stream: ReadableStream<AiSdkStreamPart> }>;
}

/** Duck typing: the spec package is an optional peer, so `instanceof` is never available. */
export function isAiSdkLanguageModel(value: unknown): value is AiSdkLanguageModel {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Record<'specificationVersion' | 'doGenerate' | 'doStream', unknown>>;
  return (
    (SUPPORTED_SPEC_VERSIONS as readonly unknown[]).includes(m.specificationVersion) &&
    typeof m.doGenerate === 'function' &&
    typeof m.doStream === 'function'
  );
}

/** Says what was found instead of a model, for the ConfigError a host will read. */
export function describeNonModel(value: unknown): string {
  if (typeof value === 'string') return `a model id string ("${value}"); pass a LanguageModel instance`;
  if (typeof value !== 'object' || value === null) return `${value === null ? 'null' : typeof value}`;
  const spec = (value as { specificationVersion?: unknown }).specificationVersion;
  if (typeof spec === 'string' && !(SUPPORTED_SPEC_VERSIONS as readonly string[]).includes(spec)) {
    return `a language model of unsupported specificationVersion "${spec}" (supported: ${SUPPORTED_SPEC_VERSIONS.join(', ')})`;
  }
  return 'an object without specificationVersion/doGenerate/doStream';
}

export interface FinishReason {
  /** The spec's category (`stop`, `length`, `content-filter`, `error`, `other`, ...). */
  unified: string | undefined;
  /** What the provider sent, when the spec version reports it (v3/v4). */
  raw: string | undefined;
  /**
   * False when the finish carries no reason the provider sent: v2's `unknown`, or v3/v4's
   * `other` with no `raw`. SDKs report that when a stream closed before the provider's
   * finish (the Google client does so for a cut stream): such an ending is a fragment.
   */
  reported: boolean;
}

/** v2 reports a string; v3/v4 report `{ unified, raw }`. */
export function readFinishReason(reason: unknown): FinishReason {
  if (typeof reason === 'string') return { unified: reason, raw: undefined, reported: reason !== 'unknown' };
  if (typeof reason === 'object' && reason !== null) {
    const { unified: u, raw: r } = reason as { unified?: unknown; raw?: unknown };
    const unified = typeof u === 'string' ? u : undefined;
    const raw = typeof r === 'string' ? r : undefined;
    return { unified, raw, reported: raw !== undefined || (unified !== undefined && unified !== 'other' && unified !== 'unknown') };
  }
  return NO_FINISH;
}

export const NO_FINISH: FinishReason = Object.freeze({ unified: undefined, raw: undefined, reported: false });
