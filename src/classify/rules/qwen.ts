import type { RuleTable } from './types.js';

export const QWEN_RULES: RuleTable = {
  family: 'qwen',
  title: 'Qwen / Alibaba Bailian (DashScope)',
  providers: ['qwen', 'qwen-token-plan', 'bailian', 'dashscope', 'alibaba', 'aliyun'],
  // DashScope allocates quota (and free quota) per model.
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { code: /^allocationquota\.freetieronly$/i, reason: 'billing', scope: 'model', note: 'the free quota of this model is spent: a human must add payment' },
    { text: /free (quota|tier)( of the model)? has been exhausted|allocationquota\.freetieronly/i, reason: 'billing', scope: 'model', note: 'the free quota of this model is spent' },
    // Qwen Code's OAuth free tier is an allowance of the signed-in account, not of one model.
    { text: /oauth free tier/i, reason: 'quota_exhausted', scope: 'profile', retryable: false, note: 'the account\'s Qwen OAuth free allowance is used up (and the tier is being retired): another credential is needed' },
    // Burst limits are set per model (help.aliyun.com/zh/model-studio rate limits).
    { text: /request rate increased too quickly/i, reason: 'rate_limit', scope: 'model', note: 'a burst limit of this model: it clears when requests spread out' },
    // DashScope uses insufficient_quota for an allocation that refills, unlike OpenAI's unpaid balance.
    { code: /^insufficient_quota$/i, reason: 'quota_exhausted', note: 'allocated quota used up' },
    { code: /^throttling(\.[a-z]+)?$/i, reason: 'rate_limit', note: 'Throttling.* codes, also sent as 403' },
    { code: /^arrearage$/i, reason: 'billing', note: 'the account is in arrears' },
    { code: /^datainspectionfailed$/i, reason: 'content_policy', note: 'input or output failed inspection' },
    { code: /^model\.accessdenied$/i, reason: 'auth', note: 'the key may not use this model' },
  ],
};
