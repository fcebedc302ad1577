import type { RuleTable } from './types.js';

export const OPENAI_RULES: RuleTable = {
  family: 'openai',
  title: 'OpenAI and OpenAI Codex',
  providers: ['openai', 'openai-codex', 'codex', 'chatgpt'],
  headerPrefixes: ['x-codex-', 'openai-'],
  // OpenAI limits an organization per model ("Rate limit reached for gpt-4.1-mini in organization ...").
  defaultScopes: { rate_limit: 'model' },
  rules: [
    { code: /^usage_not_included$/i, reason: 'billing', note: 'Codex: the plan does not include this usage' },
    { text: /(chatgpt|codex)( subscription)? usage limit|upgrade to (plus|pro) to continue/i, reason: 'quota_exhausted', note: 'Codex subscription window used up, even when typed rate_limit_error' },
  ],
};
