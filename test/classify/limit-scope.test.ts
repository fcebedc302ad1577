import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';
import { limitOwnerScope } from '../../src/classify/limit-owner.js';

const NOW = 1_800_000_000_000;
const ctx = (provider?: string) => ({ ...(provider ? { provider } : {}), now: () => NOW });
const body = (message: string) => JSON.stringify({ error: { message } });

describe('the scope of a limit, from the words that name what it counts', () => {
  it('narrows a limit that names its model to that model, widens one a project, team or proxy key owns to the profile', () => {
    expect(limitOwnerScope('Rate limit reached for llama-4-scout in organization org-1 on requests per day (RPD)')).toBe('model');
    expect(limitOwnerScope('Quota exceeded with base model: claude-x')).toBe('model');
    expect(limitOwnerScope('request reached project TPM rate limit, current: 9, limit: 5')).toBe('profile');
    expect(limitOwnerScope("your team's rate limit is 10 RPM")).toBe('profile');
    expect(limitOwnerScope('rate limit type = user. Crossed RPM')).toBe('profile');
    expect(limitOwnerScope('Hit limit for the proxy virtual key abc')).toBe('profile');
    expect(limitOwnerScope('add your own key to accumulate your rate limits')).toBeUndefined();
    expect(limitOwnerScope('Too many requests')).toBeUndefined();
  });

  it('gives a daily window that names a model the model scope, and one that names none the profile', () => {
    const named = classifyError({ status: 429, body: body('Rate limit reached for mistral-large-2 on requests per day. Please try again tomorrow.') }, ctx('mistral'));
    expect(named).toMatchObject({ reason: 'quota_exhausted', scope: 'model' });
    const bare = classifyError({ status: 429, body: body('Daily request limit reached. Please try again tomorrow.') }, ctx('mistral'));
    expect(bare).toMatchObject({ reason: 'quota_exhausted', scope: 'profile' });
  });

  it('lets a rule that states a scope keep it over the words', () => {
    // Moonshot's concurrency cap is the account's, whatever else the message says.
    const c = classifyError({ status: 429, body: body('Your account org-1 request reached max request: 3 for model kimi-k2, please try again after 1 seconds') }, ctx('moonshot'));
    expect(c).toMatchObject({ reason: 'rate_limit', scope: 'profile' });
  });
});

describe('an HTTP 5xx is an answer, not a broken connection', () => {
  it('keeps a 503 whose proxy page speaks of an upstream connect error overloaded; without a status the same words are network', () => {
    const text = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
    expect(classifyError({ status: 503, body: text }, ctx())).toMatchObject({ reason: 'overloaded', status: 503 });
    expect(classifyError(new Error(text), ctx())).toMatchObject({ reason: 'network', scope: 'provider' });
  });
});
