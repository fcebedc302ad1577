import type { RuleTable } from './types.js';

/**
 * NVIDIA's hosted endpoints (integrate.api.nvidia.com) serve each model ("function") per account: the
 * same key answers 200 for some models and 404 for others, and a listed model may be gated
 * (`Function '<id>': Not found for account`; verified live in gethouston/houston#1243). The OpenAI SDK
 * drops that body, leaving a bare 404, which here is this model not served for the account rather
 * than a wrong base URL: the base URL is NVIDIA's own and fixed. A route the server does not have
 * still answers with its own page (`404 page not found`, NVIDIA/NemoClaw#1602): that stays a wrong path.
 */
export const NVIDIA_RULES: RuleTable = {
  family: 'nvidia',
  title: 'NVIDIA NIM (hosted)',
  providers: ['nvidia-nim', 'nvidia', 'nim'],
  rules: [
    { text: /^(?![\s\S]*(\bcannot (get|post)\b|\bpage not found\b))/i, status: [404], reason: 'model_not_found', scope: 'model', note: 'a 404 from NVIDIA\'s hosted API that is no web server\'s route-not-found page ("404 page not found" is a wrong path, for every model): this model is not served for this account (gated or withdrawn), the account\'s other models answer' },
  ],
};
