import type { RuleTable } from './types.js';

export const OPENAI_RULES: RuleTable = {
  family: 'openai',
  title: 'OpenAI and OpenAI Codex',
  providers: ['openai', 'openai-codex', 'codex', 'chatgpt'],
  headerPrefixes: ['x-codex-', 'openai-'],
  rules: [
    { text: /exceeded your current quota/i, reason: 'billing', note: 'OpenAI words insufficient_quota (an unpaid balance) this way, even when the code is lost' },
    { code: /^usage_not_included$/i, reason: 'billing', note: 'Codex: the plan does not include this usage' },
    { text: /(chatgpt|codex)( subscription)? usage limit|upgrade to (plus|pro) to continue/i, reason: 'quota_exhausted', note: 'Codex subscription window used up, even when typed rate_limit_error' },
  ],
};
