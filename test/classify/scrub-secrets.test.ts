import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';
import { scrubSecrets } from '../../src/classify/scrub-secrets.js';

describe('scrubSecrets', () => {
  it.each([
    ['Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz012345.', 'sk-abcdefghijklmnopqrstuvwxyz012345'],
    ['key sk-proj-AbC_dEf-1234567890abcdefXYZ rejected', 'sk-proj-AbC_dEf-1234567890abcdefXYZ'],
    ['token sk-ant-api03-AAAAbbbbCCCCdddd_eeee-FFFF revoked', 'sk-ant-api03-AAAAbbbbCCCCdddd_eeee-FFFF'],
    ['API key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW not valid', 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW'],
    ['Authorization: Bearer eyJhbGciOi.abc.def-ghijklmnop', 'eyJhbGciOi.abc.def-ghijklmnop'],
    ['GET https://x.googleapis.com/v1/models?alt=sse&key=AbCdEf123456789012345 failed', 'AbCdEf123456789012345'],
    ['glued:sk-abcdefghijklmnopqrstuvwxyz', 'sk-abcdefghijklmnopqrstuvwxyz'],
    ['groq gsk_abcdefghijklmnopqrstuvwxyz0123 bad', 'gsk_abcdefghijklmnopqrstuvwxyz0123'],
    ['unknown key sk-emu-unknown-9', 'sk-emu-unknown-9'],
  ])('removes the secret from %j', (text, secret) => {
    const out = scrubSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('***');
  });

  it('keeps text that holds no secret, including keys the provider already masked', () => {
    for (const text of ['Incorrect API key provided: sk-proj-****abcd.', 'Rate limit reached for gpt-4.1-mini', 'task-specific instructions']) {
      expect(scrubSecrets(text)).toBe(text);
    }
  });

  it('is applied to the classified message', () => {
    const c = classifyError({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-live0123456789abcdefghij.', code: 'invalid_api_key' } } });
    expect(c.reason).toBe('auth');
    expect(c.message).not.toContain('sk-live0123456789abcdefghij');
  });
});
