import type { RuleTable } from './types.js';

export const GROQ_RULES: RuleTable = {
  family: 'groq',
  title: 'Groq',
  providers: ['groq'],
  headerPrefixes: ['x-groq-'],
  // Groq limits each model separately ("Rate limit reached for model `...`").
  defaultScopes: { quota_exhausted: 'model' },
  rules: [
    { code: /^capacity_exceeded$/i, reason: 'overloaded', scope: 'model', note: '498: flex tier capacity exceeded' },
  ],
};
