import type { RuleTable } from './types.js';

export const QWEN_RULES: RuleTable = {
  family: 'qwen',
  title: 'Qwen / Alibaba Bailian (DashScope)',
  providers: ['qwen', 'qwen-token-plan', 'bailian', 'dashscope', 'alibaba', 'aliyun'],
  // DashScope allocates quota (and free quota) per model.
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { code: /^allocationquota\.freetieronly$/i, reason: 'billing', scope: 'model', note: 'the free quota of this model is spent: a human must add payment' },
    { text: /free quota has been exhausted/i, reason: 'billing', scope: 'model', note: 'the free quota of this model is spent' },
    // DashScope uses insufficient_quota for an allocation that refills, unlike OpenAI's unpaid balance.
    { code: /^insufficient_quota$/i, reason: 'quota_exhausted', note: 'allocated quota used up' },
    { code: /^throttling(\.[a-z]+)?$/i, reason: 'rate_limit', note: 'Throttling.* codes, also sent as 403' },
    { code: /^arrearage$/i, reason: 'billing', note: 'the account is in arrears' },
    { code: /^datainspectionfailed$/i, reason: 'content_policy', note: 'input or output failed inspection' },
    { code: /^model\.accessdenied$/i, reason: 'auth', note: 'the key may not use this model' },
  ],
};
