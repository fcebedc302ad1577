import type { RuleTable } from './types.js';

export const GOOGLE_RULES: RuleTable = {
  family: 'google',
  title: 'Google Gemini and Vertex AI',
  providers: ['google', 'gemini', 'google-gemini', 'google-vertex', 'vertex', 'vertex-ai', 'google-ai-studio'],
  headerPrefixes: ['x-goog-'],
  // Gemini quotas are per project per model (QuotaFailure ids end in PerModel).
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { text: /\blimit: ?0\b/i, reason: 'billing', scope: 'model', ignoresRetryHint: true, note: 'a quota of 0: the model is not in this tier; waiting never helps, whatever the retry hint says' },
    { text: /online_prediction_[a-z_]+/i, reason: 'rate_limit', scope: 'model', note: 'Vertex online-prediction quotas (requests or tokens per base model) are per-minute windows, however the message words them' },
    { text: /resource exhausted\. please try again later|error-code-429/i, reason: 'overloaded', scope: 'model', note: 'Vertex dynamic shared quota: shared capacity for the model, not this project\'s quota' },
    { text: /\brequested entity was not found\b/i, reason: 'model_not_found', scope: 'model', retryable: false, note: 'Google\'s NOT_FOUND names the resource of the call, which for generateContent is the model (a wrong base path gets an HTML 404 instead): this model is not served to this account or project, its others answer' },
    { code: /^(safety|recitation|prohibited_content|blocklist|spii|image_safety)$/i, reason: 'content_policy', note: 'finish reasons of a blocked candidate' },
    { code: /^(other|image_other)$/i, reason: 'server_error', scope: 'model', note: 'finish reason OTHER (IMAGE_OTHER): generation stopped for an unknown reason with no content; the request is fine, a retry or another model may answer' },
    { code: /^malformed_function_call$/i, reason: 'server_error', scope: 'model', note: 'the model produced an unusable tool call' },
  ],
};
