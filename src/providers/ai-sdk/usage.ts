import type { Usage } from '../../types.js';

/**
 * The spec's usage → our flat `Usage`. Spec v2 is flat (`{ inputTokens, outputTokens,
 * totalTokens, reasoningTokens, cachedInputTokens }`); v3/v4 nest it with no total
 * (`{ inputTokens: { total, cacheRead, ... }, outputTokens: { total, reasoning, ... } }`).
 * Undefined when the provider reported no count at all (a stream whose client did not ask
 * for usage). Reasoning and cached counts of 0 are left out: SDKs fill 0 for "not reported".
 */
export function readUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const nested = isObject(input) || isObject(output);
  const inputTokens = count(nested ? field(input, 'total') : input);
  const outputTokens = count(nested ? field(output, 'total') : output);
  const reasoningTokens = count(nested ? field(output, 'reasoning') : usage.reasoningTokens);
  const cachedInputTokens = count(nested ? field(input, 'cacheRead') : usage.cachedInputTokens);
  const reportedTotal = nested ? undefined : count(usage.totalTokens);
  return makeUsage({ inputTokens, outputTokens, totalTokens: reportedTotal, reasoningTokens, cachedInputTokens });
}

/** Builds a Usage from counts, adding the total when only its parts are known; undefined when nothing is. */
export function makeUsage(counts: Usage): Usage | undefined {
  const { inputTokens, outputTokens, reasoningTokens, cachedInputTokens } = counts;
  const sum = inputTokens !== undefined && outputTokens !== undefined ? count(inputTokens + outputTokens) : undefined;
  const totalTokens = counts.totalTokens ?? sum;
  if (inputTokens === undefined && outputTokens === undefined && totalTokens === undefined) return undefined;
  return {
    ...(inputTokens !== undefined && { inputTokens }),
    ...(outputTokens !== undefined && { outputTokens }),
    ...(totalTokens !== undefined && { totalTokens }),
    ...(reasoningTokens !== undefined && reasoningTokens > 0 && { reasoningTokens }),
    ...(cachedInputTokens !== undefined && cachedInputTokens > 0 && { cachedInputTokens }),
  };
}

/** A token count: a finite number >= 0, or nothing (a provider's garbage never becomes a count). */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

const field = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
