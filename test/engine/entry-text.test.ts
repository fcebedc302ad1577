import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { entryPart } from '../../machines/entry-text.js';

const entryDetail = (...args: Parameters<typeof entryPart>) => entryPart(...args).detail;

// The detail of a decision to enter a candidate is shared between runs that enter it the same way
// (machines/entry-text.ts): it must always be the text made for this very entry, as it was when
// every run built its own.
type From = { provider: string; model: string } | undefined;
const plain = (from: From, provider: string, model: string, profileId: string, reason: string | undefined) =>
  from ? `escalating from ${from.provider}/${from.model} to ${provider}/${model} on ${profileId}${reason ? ` after ${reason}` : ''}` : `starting on ${provider}/${model} with ${profileId}`;

// small worlds, so that entries often meet the same candidate entered in a way that differs in one part
const name = fc.constantFrom('p', 'q');
const from: fc.Arbitrary<From> = fc.option(fc.record({ provider: name, model: fc.constantFrom('m1', 'm2') }), { nil: undefined });
const entry = fc.tuple(from, name, fc.constantFrom('m1', 'm2'), fc.constantFrom('p:a', 'p:b'), fc.option(fc.constantFrom('quota_exhausted', 'overloaded'), { nil: undefined }));

describe('the detail of entering a candidate', () => {
  test.prop([fc.array(entry, { minLength: 1, maxLength: 40 })])(
    'property: whatever entered the same candidate before, the detail is the text of this entry',
    (entries) => {
      for (const [f, provider, model, profileId, reason] of entries) expect(entryDetail(f, provider, model, profileId, reason)).toBe(plain(f, provider, model, profileId, reason));
    },
  );

  it('gives runs that enter the candidate the same way the same text', () => {
    const a = entryDetail({ provider: 'shared-x', model: 'm' }, 'shared-y', 'n', 'shared-y:default', 'quota_exhausted');
    // the next run's values are other strings of the same text
    const b = entryDetail({ provider: `shared-${'x'}`, model: 'm' }, ['shared', 'y'].join('-'), 'n', 'shared-y:default', 'quota_exhausted');
    expect(b).toBe(a);
    expect(entryDetail(undefined, 'shared-y', 'n', 'shared-y:default', undefined)).toBe('starting on shared-y/n with shared-y:default');
  });
});
