import { describe, expect, it } from 'vitest';
import { type Classification, classifyError } from '../../src/classify/index.js';
import { createClassifier } from '../../src/classify/create-classifier.js';

const mine: Classification = { reason: 'billing', scope: 'profile', retryable: false, message: 'our gateway says no money' };
const rateLimited = { status: 429, body: 'Too Many Requests' };

describe('createClassifier', () => {
  it('lets a host classifier override ours', () => {
    expect(createClassifier(() => mine)(rateLimited)).toEqual(mine);
  });

  it('falls back to classifyError when the host returns undefined, throws or returns garbage', () => {
    const ours = classifyError(rateLimited, {});
    const hosts = [() => undefined, () => { throw new Error('host bug'); }, () => ({ reason: 'nope' }) as unknown as Classification];
    for (const host of hosts) expect(createClassifier(host)(rateLimited)).toEqual(ours);
  });

  it('asks hosts in order and passes them the context', () => {
    const seen: unknown[] = [];
    const classify = createClassifier(
      (_err, ctx) => { seen.push(ctx.provider); return undefined; },
      (err, ctx) => ({ ...classifyError(err, ctx), scope: 'provider' }),
    );
    expect(classify(rateLimited, { provider: 'acme' })).toMatchObject({ reason: 'rate_limit', scope: 'provider' });
    expect(seen).toEqual(['acme']);
  });

  it('scrubs secrets from a host message', () => {
    const leaky = createClassifier(() => ({ ...mine, message: 'bad key sk-abcdefghijklmnopqrstuvwx' }));
    expect(leaky(rateLimited).message).not.toContain('sk-abcdefghijklmnopqrstuvwx');
  });
});
