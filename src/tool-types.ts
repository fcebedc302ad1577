import type { JsonObject, Message, ProviderOptions } from './message-types.js';

/**
 * A tool's input schema: a JSON Schema object, or an AI SDK schema that carries one
 * (`jsonSchema(...)`, `zodSchema(...)`: anything with a `jsonSchema` field, and optionally a
 * `validate` method the run then applies to the model's input). A bare zod schema is refused
 * with a `ConfigError`: wrap it with the AI SDK's `zodSchema()`.
 */
export type ToolSchema = object;

/**
 * What a tool's `execute` gets besides its input; shaped like the AI SDK's
 * `ToolExecutionOptions`. The run always sets every field; those the AI SDK's options lack are
 * optional in the type only, so that an AI SDK tool's `execute` fits as it is.
 */
export interface ToolExecutionContext {
  toolCallId: string;
  /** The messages the model saw when it asked for this call, followed by the message that asked. */
  messages: readonly Message[];
  /** Aborted when the run is aborted or stopped, or loses its session: pass it to slow work. */
  abortSignal?: AbortSignal;
  runId?: string;
  sessionId?: string;
  /** The step whose model call asked for this tool call. */
  step?: number;
}

/**
 * A tool the model may call, keyed by its name in the `tools` option. With `execute`, the run
 * executes the model's calls of it between steps and gives the model the result; without, a
 * call of it ends the run with that call in its reply, for the host to execute. AI SDK tools
 * (`tool({ description, inputSchema, execute })`) fit as they are.
 */
export interface AgentTool<Input = any, Output = unknown> {
  description?: string;
  inputSchema: ToolSchema;
  /**
   * Resolves with the result the model sees (a string as text, anything else as JSON). A throw
   * is a result too (`error-text`, the model sees the message), except a `ToolAbortError`,
   * which ends the run.
   */
  execute?(input: Input, context: ToolExecutionContext): Output | PromiseLike<Output>;
  providerOptions?: ProviderOptions;
}

/** A tool as `call` receives it: ready for the provider's request. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** The JSON Schema of the input. */
  inputSchema: JsonObject;
  providerOptions?: ProviderOptions;
}

/** Which tools the model may or must call (the AI SDK's `toolChoice`). */
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };
