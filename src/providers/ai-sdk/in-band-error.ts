/**
 * The error object a provider put inside an HTTP 200 answer, if any: OpenAI-compatible
 * gateways (OpenRouter and the providers behind it) report failures that start after the
 * headers as `{ error }` at the top of a chunk or inside a choice that ends with
 * `finish_reason: "error"`. The AI SDK turns the first form into a stream error part but
 * drops the second, so without this the reply would look finished and the failure would be
 * persisted as an (empty or partial) answer.
 */
export function findInBandError(payload: unknown): unknown {
  if (!isObject(payload)) return undefined;
  if (isObject(payload.error)) return payload.error;
  if (!Array.isArray(payload.choices)) return undefined;
  for (const choice of payload.choices as unknown[]) {
    if (isObject(choice) && isObject(choice.error)) return choice.error;
  }
  return undefined;
}

/** Finish reasons that mean the provider failed the answer after it had started. */
export function isErrorFinish(unified: string | undefined, raw: string | undefined): boolean {
  return unified === 'error' || raw === 'error';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
