import { findInBandError } from './in-band-error.js';
import { readFinishReason, type AiSdkStreamPart, type FinishReason } from './language-model.js';

export interface StreamOutcome {
  text: string;
  /** False when the stream closed without a `finish` part: the text is then a fragment. */
  finished: boolean;
  finishReason: FinishReason;
  /** The last error object a raw chunk carried in-band (see findInBandError). */
  inBandError: unknown;
}

/**
 * Reads a spec stream to its end: forwards each text delta as it arrives, throws the first
 * `error` part exactly as the model put it there (usually an APICallError the classifier
 * reads), and returns the collected text with how the stream ended.
 *
 * Every way out of here that is not a clean end cancels the stream, because cancelling is
 * what makes the HTTP client drop the response body and close its socket; a reader that is
 * only released would leave the connection open until the server ends it.
 */
export async function readTextStream(
  stream: ReadableStream<AiSdkStreamPart>,
  onDelta: (text: string) => void,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const reader = stream.getReader();
  // A model that ignores abortSignal would otherwise keep us (and its socket) waiting.
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  let text = '';
  let finished = false;
  let finishReason: FinishReason = { unified: undefined, raw: undefined };
  let inBandError: unknown;
  try {
    signal.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      // A cancel on abort ends the read with done; that is an abort, not a complete reply.
      signal.throwIfAborted();
      if (done) break;
      if (value.type === 'text-delta' && typeof value.delta === 'string' && value.delta !== '') {
        text += value.delta;
        onDelta(value.delta);
      } else if (value.type === 'error') {
        throw value.error;
      } else if (value.type === 'finish') {
        finished = true;
        finishReason = readFinishReason(value.finishReason);
      } else if (value.type === 'raw') {
        inBandError = findInBandError(value.rawValue) ?? inBandError;
      }
    }
  } catch (err) {
    await reader.cancel(err).catch(() => undefined);
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
  return { text, finished, finishReason, inBandError };
}
