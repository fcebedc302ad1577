import type { AssistantPart, Message, ToolPart, ToolResultOutput, UserPart } from '../../message-types.js';
import type { AiSdkFilePart, AiSdkPromptMessage, AiSdkTextPart, AiSdkToolResultPart } from './language-model.js';

type AssistantPromptPart = Extract<AiSdkPromptMessage, { role: 'assistant' }>['content'][number];

const withOptions = <const T extends object>(part: T, providerOptions: unknown): T =>
  providerOptions === undefined ? part : { ...part, providerOptions: providerOptions as never };

/** Binary parts are stored by reference: a URL string becomes the URL the spec expects. */
function toUrl(reference: unknown): URL | string {
  if (reference instanceof URL) return reference;
  try {
    return new URL(String(reference));
  } catch {
    // not a URL: the run refuses such parts, so only a host's own toPrompt path gets here
    return String(reference);
  }
}

function userPart(part: UserPart): AiSdkTextPart | AiSdkFilePart | undefined {
  switch (part.type) {
    case 'text':
      // empty text parts are left out, as the AI SDK does
      return part.text === '' ? undefined : withOptions({ type: 'text', text: part.text }, part.providerOptions);
    case 'image':
      return withOptions({ type: 'file', mediaType: part.mediaType ?? 'image/*', data: toUrl(part.image) }, part.providerOptions);
    case 'file':
      return withOptions(
        { type: 'file', mediaType: part.mediaType, data: toUrl(part.data), ...(part.filename !== undefined && { filename: part.filename }) },
        part.providerOptions,
      );
  }
}

function toolResult(part: Extract<ToolPart, { type: 'tool-result' }>): AiSdkToolResultPart {
  return withOptions({ type: 'tool-result', toolCallId: part.toolCallId, toolName: part.toolName, output: part.output }, part.providerOptions);
}

function assistantPart(part: AssistantPart): AssistantPromptPart | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' && part.providerOptions === undefined ? undefined : withOptions({ type: 'text', text: part.text }, part.providerOptions);
    case 'reasoning':
      return withOptions({ type: 'reasoning', text: part.text }, part.providerOptions);
    case 'file':
      return withOptions({ type: 'file', mediaType: part.mediaType, data: toUrl(part.data), ...(part.filename !== undefined && { filename: part.filename }) }, part.providerOptions);
    case 'tool-call':
      return withOptions(
        { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input, ...(part.providerExecuted !== undefined && { providerExecuted: part.providerExecuted }) },
        part.providerOptions,
      );
    case 'tool-result':
      return toolResult(part);
    case 'tool-approval-request':
      // the user's approval flow stays in the history; models are not sent it (as in the AI SDK)
      return undefined;
  }
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;

/**
 * Our messages → the spec prompt every version accepts: parts as the spec names them (an image
 * becomes a file part, a stored reference a URL), provider options kept, consecutive tool
 * messages combined (as the AI SDK does). A tool message whose content is a plain string
 * (a text-only host's tool turn, with no call id to answer) reaches the model as user text.
 * `historyForTarget` then makes the history valid for the provider that will read it.
 */
export function toPrompt(messages: readonly Message[]): AiSdkPromptMessage[] {
  const out: AiSdkPromptMessage[] = [];
  for (const m of messages) {
    const options = m.providerOptions === undefined ? {} : { providerOptions: m.providerOptions };
    switch (m.role) {
      case 'system':
        out.push({ role: 'system', content: m.content, ...options });
        break;
      case 'user':
        out.push({ role: 'user', content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map(userPart).filter(defined), ...options });
        break;
      case 'assistant':
        out.push({ role: 'assistant', content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map(assistantPart).filter(defined), ...options });
        break;
      case 'tool': {
        if (typeof m.content === 'string') {
          out.push({ role: 'user', content: [{ type: 'text', text: `Tool result:\n${m.content}` }] });
          break;
        }
        const results = m.content.flatMap((p) => (p.type === 'tool-result' ? [toolResult(p)] : []));
        const last = out.at(-1);
        if (last?.role === 'tool') last.content.push(...results);
        else out.push({ role: 'tool', content: results, ...options });
        break;
      }
    }
  }
  return out;
}

/**
 * A tool output as a spec-v2 model can take it: v2 knows text, json, error-text, error-json
 * and content of text and media. What only v3 knows is said in words.
 */
export function outputForV2(output: ToolResultOutput): ToolResultOutput {
  if (output.type === 'execution-denied') return { type: 'error-text', value: `Execution denied${output.reason ? `: ${output.reason}` : ''}` };
  if (output.type !== 'content') return output;
  return {
    type: 'content',
    value: output.value.map((item) => {
      if (item.type === 'text' || item.type === 'media') return item;
      if (item.type === 'file-url' || item.type === 'image-url') return { type: 'text', text: `[${item.type}: ${item.url}]` };
      return { type: 'text', text: `[${item.type}]` };
    }),
  };
}
