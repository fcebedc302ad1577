/**
 * Messages in the AI SDK's `ModelMessage` shape, written as our own types so that a host passes
 * AI SDK messages straight in (`test/types/ai-sdk-messages.test-d.ts` checks that they fit) and
 * the library needs no AI SDK package at run time. Plain `{ role, content: string }` messages
 * are the common case and stay what they always were.
 *
 * What the types accept is wider than what a run stores: binary data given inline (bytes, a
 * base64 string, a `data:` URL) type-checks, because AI SDK messages may carry it, but a run
 * refuses it with a `ConfigError`; give a reference (a URL) instead (docs/agents.md).
 */

export type JsonValue = null | string | number | boolean | JsonObject | readonly JsonValue[];
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/** Provider-specific settings of a message or part, keyed by provider (`{ anthropic: { cacheControl: ... } }`). */
export type ProviderOptions = Readonly<Record<string, JsonObject>>;

/** Bytes or a base64 string (refused by a run: not stored inline), or a URL string (a reference). */
export type DataContent = string | Uint8Array | ArrayBuffer;

export interface TextPart {
  type: 'text';
  text: string;
  providerOptions?: ProviderOptions;
}

export interface ImagePart {
  type: 'image';
  /** A URL (or URL string) the provider or `fromAiSdk`'s `resolveReference` can read. */
  image: DataContent | URL;
  mediaType?: string;
  providerOptions?: ProviderOptions;
}

export interface FilePart {
  type: 'file';
  /** A URL (or URL string) the provider or `fromAiSdk`'s `resolveReference` can read. */
  data: DataContent | URL;
  mediaType: string;
  filename?: string;
  providerOptions?: ProviderOptions;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  providerOptions?: ProviderOptions;
}

export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** The tool's input, a JSON value (an object for the tools a run executes). */
  input: unknown;
  /** Executed by the provider itself (a provider-defined tool), not by the run. */
  providerExecuted?: boolean;
  providerOptions?: ProviderOptions;
}

/** One item of a `content` tool output (AI SDK 5 and 6 forms). */
export type ToolOutputContentItem =
  | { type: 'text'; text: string; providerOptions?: ProviderOptions }
  | { type: 'media'; data: string; mediaType: string }
  | { type: 'file-data'; data: string; mediaType: string; filename?: string; providerOptions?: ProviderOptions }
  | { type: 'file-url'; url: string; mediaType?: string; providerOptions?: ProviderOptions }
  | { type: 'file-id'; fileId: string | Readonly<Record<string, string>>; providerOptions?: ProviderOptions }
  | { type: 'image-data'; data: string; mediaType: string; providerOptions?: ProviderOptions }
  | { type: 'image-url'; url: string; providerOptions?: ProviderOptions }
  | { type: 'image-file-id'; fileId: string | Readonly<Record<string, string>>; providerOptions?: ProviderOptions }
  | { type: 'custom'; providerOptions?: ProviderOptions };

/** What a tool gave back, as the model will see it. */
export type ToolResultOutput =
  | { type: 'text'; value: string; providerOptions?: ProviderOptions }
  | { type: 'json'; value: JsonValue; providerOptions?: ProviderOptions }
  | { type: 'error-text'; value: string; providerOptions?: ProviderOptions }
  | { type: 'error-json'; value: JsonValue; providerOptions?: ProviderOptions }
  | { type: 'execution-denied'; reason?: string; providerOptions?: ProviderOptions }
  | { type: 'content'; value: readonly ToolOutputContentItem[] };

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: ToolResultOutput;
  providerOptions?: ProviderOptions;
}

/** AI SDK 6's request for the user's approval of a tool call (kept in the history, not sent to models). */
export interface ToolApprovalRequestPart {
  type: 'tool-approval-request';
  approvalId: string;
  toolCallId: string;
  signature?: string;
  inputSchemaInput?: unknown;
}

/** AI SDK 6's answer to a ToolApprovalRequestPart (kept in the history, not sent to models). */
export interface ToolApprovalResponsePart {
  type: 'tool-approval-response';
  approvalId: string;
  approved: boolean;
  reason?: string;
  providerExecuted?: boolean;
}

export type UserPart = TextPart | ImagePart | FilePart;
export type AssistantPart = TextPart | FilePart | ReasoningPart | ToolCallPart | ToolResultPart | ToolApprovalRequestPart;
export type ToolPart = ToolResultPart | ToolApprovalResponsePart;
export type MessagePart = UserPart | AssistantPart | ToolPart;

export interface SystemMessage {
  role: 'system';
  content: string;
  providerOptions?: ProviderOptions;
}

export interface UserMessage {
  role: 'user';
  content: string | readonly UserPart[];
  providerOptions?: ProviderOptions;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | readonly AssistantPart[];
  providerOptions?: ProviderOptions;
}

export interface ToolMessage {
  role: 'tool';
  /** Tool results; a plain string (a host's text-only tool turn) reaches models as user text. */
  content: string | readonly ToolPart[];
  providerOptions?: ProviderOptions;
}

/** One message of a conversation: what a run is given, produces, stores and hands to `call`. */
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export type Role = Message['role'];

/** The text of a message: its string content, or its text parts joined (what a listing shows). */
export function messageText(m: Pick<Message, 'content'>): string {
  if (typeof m.content === 'string') return m.content;
  let text = '';
  for (const part of m.content) if (part.type === 'text') text += part.text;
  return text;
}
