import { describe, expect, it } from 'vitest';
import { classifyError, type FailureReason, type FailureScope } from '../../src/classify/index.js';

// Families of wording, not sentences: each row is phrased differently from every corpus entry, so
// it passes only if the rule covers the category (who, what, how much) rather than one provider's text.
const FAMILIES: ReadonlyArray<[string, number, string, FailureReason, FailureScope]> = [
  ['access to one model', 403, 'Your API key does not have access to model gpt-5', 'auth', 'model'],
  ['access to one model', 403, 'Permission denied for model claude-opus-4', 'auth', 'model'],
  ['input over the window', 400, 'prompt exceeds max length', 'context_overflow', 'model'],
  ['input over the window', 400, 'Your input is 210000 tokens, which is more than the 200000 allowed', 'context_overflow', 'model'],
  ['input over the window', 400, '输入内容长度超过模型限制', 'context_overflow', 'model'],
  ['credits used up', 429, 'You have exceeded your monthly included credits', 'billing', 'profile'],
  ['a key-wide limit', 429, 'Too many concurrent requests for this API key', 'rate_limit', 'profile'],
  ['a parameter this model refuses', 400, '模型不支持该参数', 'bad_request', 'model'],
  ['no such model', 404, '模型未找到', 'model_not_found', 'model'],
  ['turn order', 400, 'The final message should be from the user', 'bad_request', 'model'],
  ['turn order', 400, 'user and assistant messages should be alternating', 'bad_request', 'model'],
  ['a tool result without its call', 400, "Invalid messages: role 'tool' must be a response to a preceding assistant message with tool_calls", 'bad_request', 'request'],
  ['a size limit of one input kind', 400, 'file.pdf exceeds the 32 MB limit for this model', 'bad_request', 'model'],
  ['a network block of the resource', 403, 'Request blocked by firewall rules of this resource', 'auth', 'provider'],
  ['money owed', 403, 'Service suspended due to failure to pay the last invoice', 'billing', 'profile'],
  ['model output that fails validation', 400, 'Failed to generate valid JSON for the response_format schema', 'server_error', 'model'],
];

describe('wording families: paraphrases no corpus entry holds', () => {
  it.each(FAMILIES)('%s: %i %s', (_family, status, text, reason, scope) => {
    expect(classifyError({ status, body: JSON.stringify({ error: { message: text } }) }, {})).toMatchObject({ reason, scope });
  });
});
