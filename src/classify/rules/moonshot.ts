import type { RuleTable } from './types.js';

export const MOONSHOT_RULES: RuleTable = {
  family: 'moonshot',
  title: 'Moonshot / Kimi',
  providers: ['moonshot', 'moonshotai', 'kimi', 'kimi-code'],
  rules: [
    { code: /^engine_overloaded_error$/i, reason: 'overloaded', note: 'sent as 429, but it is the provider overloaded, not your usage' },
    { code: /^exceeded_current_quota_error$/i, reason: 'billing', note: 'the prepaid balance is used up' },
    { code: /^resource_not_found_error$/i, reason: 'model_not_found', note: 'unknown model' },
  ],
};
