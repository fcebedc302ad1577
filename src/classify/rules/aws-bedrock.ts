import type { RuleTable } from './types.js';

export const AWS_BEDROCK_RULES: RuleTable = {
  family: 'aws-bedrock',
  title: 'AWS Bedrock',
  providers: ['aws-bedrock', 'amazon-bedrock', 'bedrock'],
  headerPrefixes: ['x-amzn-'],
  // Bedrock runtime quotas (tokens and requests per minute and per day) are set per model, per Region, per account.
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { code: /^servicequotaexceededexception$/i, reason: 'quota_exhausted', scope: 'profile', note: 'the service quota of the account is used up (400): its words name the account, not a model' },
    { code: /^throttlingexception$/i, reason: 'rate_limit', note: '429, or a stream event after 200' },
    { code: /^modeltimeoutexception$/i, reason: 'timeout', scope: 'model', note: '408: the model took too long' },
    { code: /^(modelerrorexception|modelstreamerrorexception)$/i, reason: 'server_error', scope: 'model', note: '424: the model failed' },
    { code: /^modelnotreadyexception$/i, reason: 'overloaded', scope: 'model', note: 'the model is being loaded' },
    { code: /^serviceunavailableexception$/i, reason: 'overloaded', note: '503; "Bedrock is unable to process your request" speaks for the whole service' },
    { code: /^accessdeniedexception$/i, reason: 'auth', note: '403: no access to the model for this account' },
    { text: /use case details/i, reason: 'auth', note: 'Anthropic use-case form not submitted for this account (404)' },
    { text: /on-demand throughput|inference profile/i, reason: 'model_not_found', scope: 'model', note: 'the model id needs an inference profile: the id is wrong for every key' },
  ],
};
