import type { RuleTable } from './types.js';

export const GOOGLE_RULES: RuleTable = {
  family: 'google',
  title: 'Google Gemini and Vertex AI',
  providers: ['google', 'gemini', 'google-gemini', 'google-vertex', 'vertex', 'vertex-ai', 'google-ai-studio'],
  headerPrefixes: ['x-goog-'],
  // Gemini quotas are per project per model (QuotaFailure ids end in PerModel).
  defaultScopes: { rate_limit: 'model', quota_exhausted: 'model' },
  rules: [
    { text: /\blimit: ?0\b/i, reason: 'billing', scope: 'model', note: 'a quota of 0: the model is not in this tier, waiting never helps' },
    { code: /^(safety|recitation|prohibited_content|blocklist|spii|image_safety)$/i, reason: 'content_policy', note: 'finish reasons of a blocked candidate' },
    { code: /^malformed_function_call$/i, reason: 'server_error', scope: 'model', note: 'the model produced an unusable tool call' },
  ],
};
