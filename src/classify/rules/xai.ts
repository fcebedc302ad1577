import type { RuleTable } from './types.js';

export const XAI_RULES: RuleTable = {
  family: 'xai',
  title: 'xAI',
  providers: ['xai', 'x-ai', 'grok'],
  rules: [
    { code: /^client specified an invalid argument$/i, reason: 'bad_request', weak: true, note: 'gRPC-style category; a bad key also arrives as this 400' },
    { code: /^permission-denied$/i, reason: 'auth', note: '403; the text may say the team has no credits' },
    { code: /^some resource has been exhausted$/i, reason: 'rate_limit', note: '429; the text may say credits or spend limit' },
  ],
};
