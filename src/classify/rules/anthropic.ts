import type { RuleTable } from './types.js';

export const ANTHROPIC_RULES: RuleTable = {
  family: 'anthropic',
  title: 'Anthropic',
  providers: ['anthropic', 'claude', 'claude-cli', 'claude-code'],
  headerPrefixes: ['anthropic-'],
  rules: [
    { code: /^overloaded_error$/i, reason: 'overloaded', note: '529 overloaded_error (also seen with 499)' },
    { text: /credential is only authorized for use with claude code/i, reason: 'auth', note: 'a consumer-plan OAuth token used against the API (sent as 400)' },
    { text: /specified api usage limits|regain access on/i, reason: 'quota_exhausted', note: 'workspace spend limit, sent as 400 invalid_request_error' },
    { text: /(?:^|\n)request not allowed(?:\n|$)/i, reason: 'auth', scope: 'provider', note: 'the refusal Anthropic sends to callers outside its supported regions (docs.anthropic.com/en/api/supported-regions; enricoros/big-AGI#485): no key works from here' },
    { text: /extra usage is required for long[ -]context/i, reason: 'billing', scope: 'model', note: 'the 1M-context variant needs paid extra usage; the standard model of the same account answers' },
    { text: /(?:^|\n)rate limited(?:\n|$)/i, reason: 'overloaded', scope: 'model', note: 'a bare "Rate limited" naming no limit of the account: server-side limiting, which Claude Code reports as "not your usage limit" (anthropics/claude-code#71634); another key will not help' },
    { text: /extra usage/i, reason: 'billing', note: 'subscription extra usage is required or used up' },
  ],
};
