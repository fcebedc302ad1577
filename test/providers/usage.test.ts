import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createRawReader, modelNamed } from '../../src/providers/ai-sdk/raw-chunks.js';
import { readUsage } from '../../src/providers/ai-sdk/usage.js';
import type { Usage } from '../../src/types.js';

const FIELDS = ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens', 'cachedInputTokens'] as const;

function assertWellFormed(usage: Usage | undefined): void {
  if (usage === undefined) return;
  expect(Object.keys(usage).every((k) => (FIELDS as readonly string[]).includes(k))).toBe(true);
  for (const value of Object.values(usage)) expect(Number.isFinite(value) && value >= 0).toBe(true);
  expect(usage.inputTokens !== undefined || usage.outputTokens !== undefined || usage.totalTokens !== undefined).toBe(true);
}

const tokenValue = fc.oneof(fc.nat(), fc.double(), fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, '12', null, undefined));
const v2Usage = fc.record(Object.fromEntries(FIELDS.map((f) => [f, tokenValue])), { requiredKeys: [] });
const v3Usage = fc.record(
  {
    inputTokens: fc.oneof(fc.record({ total: tokenValue, noCache: tokenValue, cacheRead: tokenValue, cacheWrite: tokenValue }, { requiredKeys: [] }), tokenValue),
    outputTokens: fc.oneof(fc.record({ total: tokenValue, text: tokenValue, reasoning: tokenValue }, { requiredKeys: [] }), tokenValue),
    raw: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('readUsage', () => {
  test.prop([fc.oneof(v2Usage, v3Usage, fc.anything())])('property: whatever a provider reports, usage is absent or only finite counts >= 0', (given) => {
    assertWellFormed(readUsage(given));
  });

  test.prop([fc.nat(1e6), fc.nat(1e6)])('property: a v3 usage with input and output totals gets their sum as its total', (input, output) => {
    expect(readUsage({ inputTokens: { total: input }, outputTokens: { total: output } })?.totalTokens).toBe(input + output);
  });

  it('keeps a total the provider reported (v2) rather than adding the parts', () => {
    expect(readUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 17 })).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 17 });
  });

  it('drops counts that are not counts', () => {
    expect(readUsage({ inputTokens: -3, outputTokens: '7', totalTokens: Number.NaN })).toBeUndefined();
    expect(readUsage({ inputTokens: { total: 4 }, outputTokens: { total: Number.POSITIVE_INFINITY } })).toEqual({ inputTokens: 4 });
    // Two huge counts must not add up to an infinite total.
    expect(readUsage({ inputTokens: { total: 1e308 }, outputTokens: { total: 1e308 } })).toEqual({ inputTokens: 1e308, outputTokens: 1e308 });
  });
});

describe('raw chunks', () => {
  it('reads an Anthropic stop reason and usage from message_start and message_delta, cache reads included in input', () => {
    const raw = createRawReader();
    raw.read({ type: 'message_start', message: { model: 'claude-x-2026', usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 1 } } });
    raw.read({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'hi' } });
    raw.read({ type: 'message_delta', delta: { stop_reason: 'refusal' }, usage: { output_tokens: 7 } });
    expect(raw.findings()).toEqual({
      inBandError: undefined,
      modelName: 'claude-x-2026',
      anthropicFinish: {
        reason: { unified: 'content-filter', raw: 'refusal', reported: true },
        usage: { inputTokens: 100, outputTokens: 7, totalTokens: 107, cachedInputTokens: 90 },
      },
    });
  });

  it('reports no finish while no message_delta stop reason came, whatever else did', () => {
    const raw = createRawReader();
    for (const chunk of [null, 'x', [], { type: 'message_delta', delta: { stop_reason: null } }, { choices: [{ finish_reason: 'stop' }] }]) raw.read(chunk);
    expect(raw.findings().anthropicFinish).toBeUndefined();
  });

  it('names the model of an OpenAI body, an Anthropic message and a Gemini response', () => {
    expect([modelNamed({ model: 'gpt-x' }), modelNamed({ message: { model: 'claude-y' } }), modelNamed({ modelVersion: 'gemini-z' }), modelNamed({ model: '' }), modelNamed('x')]).toEqual([
      'gpt-x',
      'claude-y',
      'gemini-z',
      undefined,
      undefined,
    ]);
  });
});
