import { ConfigError } from '../../errors.js';
import type { AssistantMessage, AssistantPart, JsonObject, JsonValue, ProviderOptions } from '../../message-types.js';
import type { AiSdkContentPart } from './language-model.js';

/**
 * Keeps a model's generated file out of the session: the host stores the bytes where it keeps
 * large data and answers with the URL (or its own reference as a URL) to keep instead.
 */
export type SaveFile = (file: { mediaType: string; data: Uint8Array }) => PromiseLike<URL | string>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The part's metadata as options of the next call (what the AI SDK does), or nothing. */
function optionsOf(metadata: unknown): ProviderOptions | undefined {
  if (!isObject(metadata)) return undefined;
  const out: Record<string, JsonObject> = {};
  for (const [key, value] of Object.entries(metadata)) if (isObject(value)) out[key] = value as JsonObject;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A tool call's input arrives as JSON text; text that is not JSON is kept as text (the tool then refuses it). */
function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') return input ?? {};
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function base64ToBytes(data: string): Uint8Array {
  return Uint8Array.from(Buffer.from(data, 'base64'));
}

/**
 * A model's answer (`doGenerate`'s content, or what a stream carried) as the assistant message
 * the run keeps, in the AI SDK's response shape: text, reasoning, tool calls (input parsed),
 * tool results of tools the provider ran, approval requests; provider metadata becomes the
 * part's provider options. Reasoning is marked with `namespace` (the model's options key), so
 * a later call can tell its own provider's reasoning from another's (historyForTarget).
 * A message that is only text without metadata is a plain string.
 */
export async function responseMessage(content: readonly AiSdkContentPart[], namespace: string, saveFile: SaveFile | undefined): Promise<AssistantMessage | undefined> {
  const parts: AssistantPart[] = [];
  for (const part of content) {
    const providerOptions = optionsOf(part.providerMetadata);
    const withOptions = <T extends object>(p: T): T => (providerOptions ? { ...p, providerOptions } : p);
    switch (part.type) {
      case 'text':
        if (typeof part.text === 'string' && (part.text !== '' || providerOptions)) parts.push(withOptions({ type: 'text', text: part.text }));
        break;
      case 'reasoning':
        if (typeof part.text === 'string') parts.push({ type: 'reasoning', text: part.text, providerOptions: { ...providerOptions, [namespace]: providerOptions?.[namespace] ?? {} } });
        break;
      case 'tool-call':
        parts.push(
          withOptions({
            type: 'tool-call',
            toolCallId: String(part.toolCallId),
            toolName: String(part.toolName),
            input: parseInput(part.input),
            ...(part.providerExecuted === true && { providerExecuted: true }),
          }),
        );
        break;
      case 'tool-result':
        parts.push(
          withOptions({
            type: 'tool-result',
            toolCallId: String(part.toolCallId),
            toolName: String(part.toolName),
            output: { type: part.isError === true ? 'error-json' : 'json', value: (part.result ?? null) as JsonValue },
          }),
        );
        break;
      case 'tool-approval-request':
        parts.push({ type: 'tool-approval-request', approvalId: String(part.approvalId), toolCallId: String(part.toolCallId) });
        break;
      case 'file': {
        const mediaType = String(part.mediaType);
        if (!saveFile) {
          throw new ConfigError('saveFile', `the model generated a file (${mediaType}); pass fromAiSdk's saveFile to store it and keep its URL in the session`);
        }
        const data = typeof part.data === 'string' ? base64ToBytes(part.data) : (part.data as Uint8Array);
        const url = await saveFile({ mediaType, data });
        parts.push(withOptions({ type: 'file', mediaType, data: String(url) }));
        break;
      }
      // sources (citations) and anything newer are not message parts
    }
  }
  if (parts.length === 0) return undefined;
  if (parts.every((p) => p.type === 'text' && p.providerOptions === undefined)) {
    return { role: 'assistant', content: parts.map((p) => (p as { text: string }).text).join('') };
  }
  return { role: 'assistant', content: parts };
}
