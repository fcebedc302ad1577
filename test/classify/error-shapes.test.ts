import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';

const NOW = 1_800_000_000_000;
const at = (provider?: string) => ({ ...(provider ? { provider } : {}), now: () => NOW });

/** Shaped like the OpenAI / Anthropic SDK errors: status, headers, parsed body in `error`. */
class FakeSdkError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string> | Headers,
    readonly error: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** Shaped like the AI SDK's APICallError. */
function apiCallError(statusCode: number, responseBody: string, responseHeaders: Record<string, string> = {}, isRetryable = true) {
  return Object.assign(new Error(`API call failed with status ${statusCode}`), { name: 'AI_APICallError', statusCode, responseBody, responseHeaders, isRetryable });
}

describe('SDK errors', () => {
  it('reads an OpenAI SDK error: status, Headers instance and the parsed body', () => {
    const err = new FakeSdkError(
      429,
      new Headers({ 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-remaining-requests': '0' }),
      { message: 'Rate limit reached for gpt-4.1-mini in organization org on requests per min.', type: 'requests', code: 'rate_limit_exceeded' },
      '429 Rate limit reached for gpt-4.1-mini',
    );
    expect(classifyError(err, at('openai'))).toMatchObject({ reason: 'rate_limit', scope: 'model', retryAfterMs: 1500, status: 429, code: 'rate_limit_exceeded' });
  });

  it('reads an Anthropic SDK overloaded error', () => {
    const err = new FakeSdkError(529, {}, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, '529 Overloaded');
    // A bare "Overloaded" is no evidence that every model is down: this model moves on.
    expect(classifyError(err, at('anthropic'))).toMatchObject({ reason: 'overloaded', scope: 'model', retryable: true, code: 'overloaded_error', message: 'Overloaded' });
  });

  it('reads an AI SDK APICallError, alone, inside RetryError.errors and as a cause', () => {
    const call = apiCallError(429, '{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","resets_in_seconds":60}}');
    const expected = { reason: 'quota_exhausted', scope: 'profile', retryAfterMs: 60_000, status: 429 };
    expect(classifyError(call, at('openai-codex'))).toMatchObject(expected);
    const earlier = apiCallError(500, '{"error":{"message":"boom","type":"server_error"}}');
    const retry = Object.assign(new Error('Failed after 2 attempts'), { name: 'AI_RetryError', reason: 'maxRetriesExceeded', errors: [earlier, call], lastError: call });
    expect(classifyError(retry, at('openai-codex'))).toMatchObject(expected);
    expect(classifyError(new Error('generation failed', { cause: call }), at('openai-codex'))).toMatchObject(expected);
  });

  it('lets isRetryable: false settle only what could not be classified', () => {
    expect(classifyError(apiCallError(418, 'I am a teapot', {}, false))).toMatchObject({ reason: 'unknown', retryable: false });
    expect(classifyError(apiCallError(429, 'Too Many Requests', {}, false))).toMatchObject({ reason: 'rate_limit', retryable: true });
  });

  it('reads an AWS SDK v3 exception by name and $metadata', () => {
    const err = Object.assign(new Error('Too many tokens, please wait before trying again.'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 429, requestId: 'r' },
    });
    expect(classifyError(err, at('amazon-bedrock'))).toMatchObject({ reason: 'rate_limit', scope: 'model', status: 429 });
  });
});

describe('responses the client could not read', () => {
  /** What the AI SDK throws when a 200 body is not JSON: APICallError caused by JSONParseError. */
  function unreadable(statusCode: number, responseBody: string) {
    const cause = Object.assign(new Error(`JSON parsing failed: Text: ${responseBody}.\nError message: Unexpected end of JSON input`), { name: 'AI_JSONParseError' });
    return Object.assign(new Error('Invalid JSON response'), { name: 'AI_APICallError', statusCode, responseBody, cause });
  }

  it('blames an empty or cut-off 200 body on the provider, not the request', () => {
    for (const body of ['', '{"id":"x","choices":[{"message":{"content":"the prompt is too long and invalid request'])
      expect(classifyError(unreadable(200, body))).toMatchObject({ reason: 'server_error', retryable: true, message: 'Invalid JSON response' });
  });

  it('lets an HTTP error status decide when its body was unreadable', () => {
    // "Invalid JSON response" is the client failing to read the answer: no word about the request, so the 400 decides.
    expect(classifyError(unreadable(400, '<html>Bad Request</html>'))).toMatchObject({ reason: 'unknown', scope: 'model', retryable: false, status: 400 });
    expect(classifyError(unreadable(429, 'Too Many Requests'))).toMatchObject({ reason: 'rate_limit', status: 429 });
  });

  it('reads the response codes of the AI SDK adapter', () => {
    const err = (code: string) => Object.assign(new Error(`deepseek/v4: detail (${code})`), { name: 'ProviderResponseError', code });
    expect(classifyError(err('provider_error'))).toMatchObject({ reason: 'server_error' });
    expect(classifyError(err('incomplete_response'))).toMatchObject({ reason: 'network' });
    expect(classifyError(err('content_filter'))).toMatchObject({ reason: 'content_policy', scope: 'model' });
  });
});

describe('transport errors', () => {
  it.each([
    ['ECONNRESET', 'network'],
    ['ECONNREFUSED', 'network'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['UND_ERR_SOCKET', 'network'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ])('reads Node code %s as %s, also as the cause of fetch failed', (code, reason) => {
    expect(classifyError(Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect' }))).toMatchObject({ reason, code, retryable: true });
    expect(classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) }))).toMatchObject({ reason, code });
  });

  it('puts a network failure on the provider', () => {
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ scope: 'provider' });
  });

  it('lets a provider status outrank an abort that wraps it', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const err = Object.assign(new Error('request aborted'), { name: 'AbortError', cause: { status: 429, error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } });
    expect(classifyError(abort)).toMatchObject({ reason: 'aborted' });
    expect(classifyError(err, at('google'))).toMatchObject({ reason: 'rate_limit', status: 429 });
  });

  it('reads abort wording without an AbortError name as a cut stream to retry, not a cancel', () => {
    expect(classifyError(new Error('stream was aborted'))).toMatchObject({ reason: 'timeout', retryable: true });
  });
});

describe('bodies', () => {
  it('reads an HTML error page from a proxy, quoting its text without markup', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>h1{color:red}</style></head><body><h1>502 Bad Gateway</h1><p>cloudflare</p><script>var rateLimit=1</script></body></html>';
    const c = classifyError({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    expect(c).toMatchObject({ reason: 'server_error', status: 502 });
    expect(c.message).toContain('502 Bad Gateway');
    expect(c.message).not.toMatch(/[<>]|color|rateLimit/);
  });

  it('finds the status of an HTML page quoted in a message', () => {
    expect(classifyError('429 <html><head><title>429 Too Many Requests</title></head><body>Rate limit exceeded.</body></html>')).toMatchObject({ reason: 'rate_limit', status: 429 });
  });

  it('reads the error event of an SSE stream after HTTP 200, ignoring model output', () => {
    const body = [
      'data: {"choices":[{"delta":{"content":"the rate limit of your prompt is too long"}}]}',
      '',
      'data: {"choices":[{"finish_reason":"error","error":{"message":"Error processing stream","code":502}}]}',
      '',
    ].join('\n');
    expect(classifyError({ status: 200, headers: { 'content-type': 'text/event-stream' }, body }, at('openrouter'))).toMatchObject({ reason: 'server_error', status: 502 });
  });

  it('reads a Bedrock exception event', () => {
    const body = ':event-type throttlingException\n:message-type exception\n{"message":"Too many requests, please wait before trying again."}';
    expect(classifyError({ status: 200, body }, at('aws-bedrock'))).toMatchObject({ reason: 'rate_limit', code: 'throttlingException' });
  });

  it('reads bodies given as string, object or bytes the same way', () => {
    const json = { error: { type: 'invalid_request_error', code: 'context_length_exceeded', message: 'too long' } };
    const forms = [JSON.stringify(json), json, new TextEncoder().encode(JSON.stringify(json))];
    for (const body of forms) expect(classifyError({ status: 400, body })).toMatchObject({ reason: 'context_overflow', scope: 'model' });
  });

  it('reads gRPC status strings without an HTTP status', () => {
    expect(classifyError({ error: { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' } })).toMatchObject({ reason: 'rate_limit' });
    expect(classifyError({ error: { status: 'UNAVAILABLE', message: 'The model is overloaded.' } })).toMatchObject({ reason: 'overloaded' });
  });
});

describe('odd inputs', () => {
  it.each([null, undefined, 42, true, '', Symbol('s'), 10n, () => 0])('classifies %s as unknown with a message', (input) => {
    const c = classifyError(input);
    expect(c.reason).toBe('unknown');
    expect(c.message.length).toBeGreaterThan(0);
  });

  it('reads a plain string by its words', () => {
    expect(classifyError('Connection error.')).toMatchObject({ reason: 'network' });
    expect(classifyError('prompt is too long: 150000 tokens > 128000 maximum')).toMatchObject({ reason: 'context_overflow' });
  });

  it('survives cycles through cause, error and errors', () => {
    const a: Record<string, unknown> = { status: 503, message: 'Service Unavailable' };
    const b: Record<string, unknown> = { error: a, errors: [a] };
    a.cause = b;
    a.error = a;
    expect(classifyError(a)).toMatchObject({ reason: 'overloaded', status: 503 });
  });

  it('keeps what it read when a node of the chain is a revoked proxy', () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    expect(classifyError(Object.assign(new Error('Too Many Requests'), { status: 429, cause: r.proxy }))).toMatchObject({ reason: 'rate_limit' });
  });

  it('cuts messages at 10 kB before matching', () => {
    expect(classifyError(`${'x'.repeat(10_000)} rate limit exceeded`)).toMatchObject({ reason: 'unknown' });
    expect(classifyError(`${'x'.repeat(9_000)} rate limit exceeded`)).toMatchObject({ reason: 'rate_limit' });
  });

  it('handles a megabyte of hostile text', () => {
    const c = classifyError(`${'model '.repeat(200_000)}${'{'.repeat(100_000)}`);
    expect(c.message.length).toBeLessThanOrEqual(500);
  });
});

describe('the peer incidents', () => {
  it('Codex usage limit: a quota on the profile, not a short rate limit', () => {
    expect(classifyError(Object.assign(new Error('429 usage_limit_reached'), { status: 429 }), at('openai-codex'))).toMatchObject({ reason: 'quota_exhausted', scope: 'profile', retryable: false });
    const typedAsRate = '429 {"type":"error","error":{"type":"rate_limit_error","message":"You\'ve hit your usage limit. Upgrade to Plus to continue using Codex, try again after 11:34 AM."}}';
    expect(classifyError(new Error(typedAsRate), at('openai-codex'))).toMatchObject({ reason: 'quota_exhausted' });
  });

  it('Bailian rate limits sent as 403', () => {
    const body = { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' };
    expect(classifyError({ status: 403, body }, at('bailian'))).toMatchObject({ reason: 'rate_limit', retryable: true });
    expect(classifyError({ status: 403, body: 'Requests rate limit exceeded' })).toMatchObject({ reason: 'rate_limit' });
    expect(classifyError({ status: 403, body: 'Forbidden' })).toMatchObject({ reason: 'auth' });
  });

  it('a 429 rewritten into friendly text before it reached us', () => {
    expect(classifyError(new Error("You've hit your usage limit. Try again in 3 hours."))).toMatchObject({ reason: 'quota_exhausted', retryAfterMs: 3 * 3_600_000 });
    expect(classifyError(new Error('请求过于频繁，请稍后重试'))).toMatchObject({ reason: 'rate_limit' });
    expect(classifyError(new Error('This model is currently experiencing high demand. Please try again later.'))).toMatchObject({ reason: 'overloaded' });
  });

  it('402 is billing whatever the words; a Retry-After on it still bounds the block', () => {
    expect(classifyError({ status: 402, body: { error: { message: 'Monthly spend limit reached. Please visit your billing settings.' } } })).toMatchObject({ reason: 'billing', scope: 'profile' });
    expect(classifyError({ status: 402, headers: { 'retry-after': '3' }, body: { error: { message: 'in-flight budget', metadata: { reason: 'in_flight_budget_exhausted' } } } }, at('openrouter'))).toMatchObject({ reason: 'billing', retryAfterMs: 3000 });
    expect(classifyError({ status: 402, body: { error: { message: 'Insufficient credits. Add more credits to continue.' } } })).toMatchObject({ reason: 'billing', scope: 'profile' });
    expect(classifyError({ status: 402, body: '' })).toMatchObject({ reason: 'billing' });
  });
});

describe('provider context', () => {
  it('takes the family from the provider name before any / or :', () => {
    // Moonshot's "max request" is the account's concurrency cap: profile-wide for that family only.
    const err = { status: 429, body: { error: { type: 'rate_limit_reached_error', message: 'Your account org-1 request reached max request: 3, please try again after 1 seconds' } } };
    expect(classifyError(err, at('moonshot:work'))).toMatchObject({ reason: 'rate_limit', scope: 'profile', retryAfterMs: 1000 });
    expect(classifyError(err, at('mistral'))).toMatchObject({ reason: 'rate_limit', scope: 'model' });
  });

  it('recognises the family by its headers when no provider is named', () => {
    const err = { status: 429, headers: { 'anthropic-ratelimit-tokens-remaining': '0' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit exceeded' } } };
    expect(classifyError(err)).toMatchObject({ reason: 'rate_limit', scope: 'model' });
  });
});
