import type { RuleTable } from './types.js';

export const AZURE_RULES: RuleTable = {
  family: 'azure',
  title: 'Azure OpenAI',
  providers: ['azure', 'azure-openai', 'azure-ai'],
  // Azure limits each deployment (one model) separately.
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { code: /^(responsibleaipolicyviolation|content_filter)$/i, reason: 'content_policy', note: 'content management policy' },
    { code: /^deploymentnotfound$/i, reason: 'model_not_found', note: 'no such deployment' },
    { text: /invalid subscription key|wrong api endpoint/i, reason: 'auth', note: '401 with the subscription-key wording' },
  ],
};
