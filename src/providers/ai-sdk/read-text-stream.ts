import type { Usage } from '../../types.js';
import { NO_FINISH, readFinishReason, type AiSdkContentPart, type AiSdkStreamPart, type FinishReason } from './language-model.js';
import { createRawReader } from './raw-chunks.js';
import { readUsage } from './usage.js';

export interface StreamOutcome {
  text: string;
  /** The answer as doGenerate would give it: text and reasoning blocks, tool calls, files, in order. */
  content: AiSdkContentPart[];
  /** False when the stream closed without a finish (a `finish` part, or Anthropic's `message_delta` stop reason). */
  finished: boolean;
  finishReason: FinishReason;
  usage: Usage | undefined;
  /** The model the provider says answered. */
  responseModel: string | undefined;
  /** The last error object a raw chunk carried in-band (see findInBandError). */
  inBandError: unknown;
}

export interface StreamListeners {
  onDelta(text: string): void;
  /** Called for every part that shows the model producing output (text, reasoning, tool input). */
  onActivity?: () => void;
}

/** Parts that carry model output: proof of life for first-token and idle timers, unlike metadata. */
const OUTPUT_PARTS: ReadonlySet<string> = new Set(['text-delta', 'reasoning-delta', 'tool-input-delta', 'tool-call']);

/** Stream parts that arrive whole, as doGenerate's content has them. */
const WHOLE_PARTS: ReadonlySet<string> = new Set(['tool-call', 'tool-result', 'file', 'tool-approval-request']);

/**
 * Gathers the answer's content from a stream: text and reasoning deltas joined per block (a
 * block's metadata, e.g. an Anthropic signature, arrives on its start, end or deltas), the
 * other parts as they come, all in the order they started.
 */
function createContentCollector() {
  const content: AiSdkContentPart[] = [];
  const blocks = new Map<string, AiSdkContentPart & { text: string }>();
  const block = (type: 'text' | 'reasoning', id: unknown): AiSdkContentPart & { text: string } => {
    const key = `${type}:${typeof id === 'string' ? id : ''}`;
    let found = blocks.get(key);
    if (!found) {
      found = { type, text: '' };
      blocks.set(key, found);
      content.push(found);
    }
    return found;
  };
  const metadata = (target: AiSdkContentPart, value: unknown) => {
    if (typeof value === 'object' && value !== null) target.providerMetadata = { ...(target.providerMetadata as object | undefined), ...value };
  };
  return {
    content,
    read(part: AiSdkStreamPart): void {
      const kind = part.type.startsWith('text-') ? 'text' : part.type.startsWith('reasoning-') ? 'reasoning' : undefined;
      if (kind && /-(start|delta|end)$/.test(part.type)) {
        const b = block(kind, part.id);
        if (part.type.endsWith('-delta') && typeof part.delta === 'string') b.text += part.delta;
        metadata(b, part.providerMetadata);
      } else if (WHOLE_PARTS.has(part.type)) content.push({ ...part });
    },
  };
}

/**
 * Reads a spec stream to its end: forwards each text delta as it arrives, throws the first
 * `error` part exactly as the model put it there (usually an APICallError the classifier
 * reads; for an unparsable chunk, the SDK's JSONParseError), and returns the collected text
 * with how the stream ended.
 *
 * An error part fails the attempt even when the SDK would read on: an unparsable chunk may
 * have carried text, and a reply with a hole in it must not be persisted as the answer.
 *
 * Every way out of here that is not a clean end cancels the stream, because cancelling is
 * what makes the HTTP client drop the response body and close its socket; a reader that is
 * only released would leave the connection open until the server ends it.
 */
export async function readTextStream(stream: ReadableStream<AiSdkStreamPart>, listeners: StreamListeners, signal: AbortSignal): Promise<StreamOutcome> {
  const reader = stream.getReader();
  // A model that ignores abortSignal would otherwise keep us (and its socket) waiting.
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  const raw = createRawReader();
  const collector = createContentCollector();
  let text = '';
  let finishPart: AiSdkStreamPart | undefined;
  let metadataModel: string | undefined;
  try {
    signal.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      // A cancel on abort ends the read with done; that is an abort, not a complete reply.
      signal.throwIfAborted();
      if (done) break;
      if (OUTPUT_PARTS.has(value.type)) listeners.onActivity?.();
      collector.read(value);
      if (value.type === 'text-delta' && typeof value.delta === 'string' && value.delta !== '') {
        text += value.delta;
        listeners.onDelta(value.delta);
      } else if (value.type === 'error') {
        throw value.error;
      } else if (value.type === 'finish') {
        finishPart = value;
      } else if (value.type === 'response-metadata' && typeof value.modelId === 'string' && value.modelId !== '') {
        metadataModel ??= value.modelId;
      } else if (value.type === 'raw') {
        raw.read(value.rawValue);
      }
    }
  } catch (err) {
    await reader.cancel(err).catch(() => undefined);
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  const findings = raw.findings();
  const responseModel = metadataModel ?? findings.modelName;
  if (finishPart) {
    return {
      text,
      content: collector.content,
      finished: true,
      finishReason: readFinishReason(finishPart.finishReason),
      usage: readUsage(finishPart.usage),
      responseModel,
      inBandError: findings.inBandError,
    };
  }
  // No finish part: complete only if the provider's own chunks carried its finish.
  const fallback = findings.anthropicFinish;
  return {
    text,
    content: collector.content,
    finished: fallback !== undefined,
    finishReason: fallback?.reason ?? NO_FINISH,
    usage: fallback?.usage,
    responseModel,
    inBandError: findings.inBandError,
  };
}
