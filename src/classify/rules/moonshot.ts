import type { RuleTable } from './types.js';

export const MOONSHOT_RULES: RuleTable = {
  family: 'moonshot',
  title: 'Moonshot / Kimi',
  providers: ['moonshot', 'moonshotai', 'kimi', 'kimi-code'],
  // Moonshot limits each organization or project (RPM, TPM, TPD, concurrency), whatever the model.
  defaultScopes: { rate_limit: 'profile' },
  rules: [
    { code: /^engine_overloaded_error$/i, reason: 'overloaded', scope: 'provider', note: 'sent as 429, but it is the engine overloaded, not your usage' },
    { text: /reached max request/i, reason: 'rate_limit', scope: 'profile', note: 'the account\'s concurrency cap, shared by every model' },
    { code: /^exceeded_current_quota_error$/i, reason: 'billing', note: 'the prepaid balance is used up' },
    { code: /^resource_not_found_error$/i, reason: 'model_not_found', note: 'unknown model' },
  ],
};
