import type { ToolResultOutput } from '../../message-types.js';
import type { AiSdkPromptMessage, AiSdkToolCallPart, AiSdkToolResultPart } from './language-model.js';
import { outputForV2 } from './to-prompt.js';

/** What the history is made valid for: the model that will read it. */
export interface HistoryTarget {
  /** The key of the model's provider options and metadata (`anthropic`, `openai`, `deepseek`, ...). */
  namespace: string;
  specificationVersion: string;
}

/** The model's options namespace: the first segment of its `provider` (`anthropic.messages` → `anthropic`). */
export const namespaceOf = (provider: unknown): string => (typeof provider === 'string' ? provider.split('.')[0]! : '');

// OpenAI limits tool call ids to 40 characters; Anthropic allows only these characters.
const VALID_ID = /^[A-Za-z0-9_-]{1,40}$/;
// Both allow these tool names.
const VALID_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** FNV-1a, 32 bits: a short, stable tag that keeps two ids apart once cut to the same prefix. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A tool call id every provider accepts, the same for a call and its result. A valid id stays
 * as it is; another provider's id (`call:abc.1`, a 64-character id) becomes its valid prefix
 * and a hash of the whole id.
 */
export function toolCallIdFor(id: string): string {
  if (VALID_ID.test(id)) return id;
  return `${id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 31)}_${hash(id)}`;
}

export function toolNameFor(name: string): string {
  return VALID_NAME.test(name) ? name : name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
}

/** A tool result as words, for a result whose call is not in the history. */
function outputText(output: ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return `execution denied${output.reason ? `: ${output.reason}` : ''}`;
    case 'content':
      return output.value.map((item) => ('text' in item ? item.text : `[${item.type}]`)).join('\n');
  }
}

const MISSING_RESULT: ToolResultOutput = { type: 'error-text', value: 'No result was recorded for this tool call.' };

type AssistantContent = Extract<AiSdkPromptMessage, { role: 'assistant' }>['content'];

/**
 * Makes a history valid for the model that will read it, whichever provider wrote it:
 *
 * - every assistant tool-call batch is followed at once by one tool message with all its
 *   results, in call order (results found later in the history are moved up; a call with no
 *   result gets an error result saying so), as OpenAI and Anthropic both require;
 * - a result whose call is not in the history becomes user text (both providers refuse an
 *   orphan result);
 * - tool call ids and names are mapped to what both accept, the same way in a call and its
 *   result (the AI SDK passes ids through as they are);
 * - reasoning is kept only where the target's own provider wrote it (its options namespace is
 *   on the part): another provider's reasoning is refused (an Anthropic signature it did not
 *   issue) or leaks another model's thinking; an assistant message left empty goes;
 * - for a spec-v2 model, tool outputs only v3 knows are said in words.
 */
export function historyForTarget(prompt: readonly AiSdkPromptMessage[], target: HistoryTarget): AiSdkPromptMessage[] {
  const v2 = target.specificationVersion === 'v2';
  const out: AiSdkPromptMessage[] = [];
  // results of calls: taken from wherever they are, put right after their call
  const pending = new Map<string, AiSdkToolResultPart>();
  const calledIds = new Set<string>();
  for (const m of prompt) {
    if (m.role !== 'tool') continue;
    for (const part of m.content) if (part.type === 'tool-result' && !pending.has(part.toolCallId)) pending.set(part.toolCallId, part);
  }
  for (const m of prompt) {
    if (m.role === 'assistant') for (const part of m.content) if (part.type === 'tool-call') calledIds.add(part.toolCallId);
  }
  const used = new Set<string>();
  const result = (part: AiSdkToolResultPart): AiSdkToolResultPart => ({
    ...part,
    toolCallId: toolCallIdFor(part.toolCallId),
    toolName: toolNameFor(part.toolName),
    output: v2 ? outputForV2(part.output) : part.output,
  });

  for (const m of prompt) {
    if (m.role === 'system' || m.role === 'user') {
      out.push(m);
      continue;
    }
    if (m.role === 'tool') {
      // results already placed after their call go; orphans are kept as words
      const orphans = m.content.filter((p): p is AiSdkToolResultPart => p.type === 'tool-result' && !calledIds.has(p.toolCallId) && !used.has(p.toolCallId));
      for (const p of orphans) used.add(p.toolCallId);
      if (orphans.length > 0) {
        out.push({ role: 'user', content: orphans.map((p) => ({ type: 'text', text: `Result of tool ${p.toolName} (call ${p.toolCallId}):\n${outputText(p.output)}` })) });
      }
      continue;
    }
    const content: AssistantContent = [];
    const calls: AiSdkToolCallPart[] = [];
    for (const part of m.content) {
      if (part.type === 'reasoning') {
        if (part.providerOptions?.[target.namespace] !== undefined) content.push(part);
      } else if (part.type === 'tool-call') {
        const call = { ...part, toolCallId: toolCallIdFor(part.toolCallId), toolName: toolNameFor(part.toolName) };
        content.push(call);
        if (part.providerExecuted !== true) calls.push(part);
      } else if (part.type === 'tool-result') {
        content.push(result(part));
        used.add(part.toolCallId);
      } else content.push(part);
    }
    if (content.length === 0) continue;
    out.push({ ...m, content });
    const answers = calls
      .filter((c) => !used.has(c.toolCallId))
      .map((c) => {
        used.add(c.toolCallId);
        const found = pending.get(c.toolCallId);
        return found ? result(found) : { type: 'tool-result' as const, toolCallId: toolCallIdFor(c.toolCallId), toolName: toolNameFor(c.toolName), output: MISSING_RESULT };
      });
    if (answers.length > 0) out.push({ role: 'tool', content: answers });
  }
  return out;
}
