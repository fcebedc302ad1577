import type { RuleTable } from './types.js';

export const OPENROUTER_RULES: RuleTable = {
  family: 'openrouter',
  title: 'OpenRouter',
  providers: ['openrouter'],
  // OpenRouter relays the upstream provider of one model: its limits and faults hit that model.
  rules: [
    { code: /^(in_flight_budget_exhausted|openrouter_in_flight_budget)$/i, reason: 'rate_limit', scope: 'profile', note: 'in-flight spend budget: a transient 402 with Retry-After' },
    { text: /in-flight requests/i, reason: 'rate_limit', scope: 'profile', note: 'in-flight spend budget wording' },
    { text: /no endpoints found that support/i, reason: 'bad_request', scope: 'model', note: 'no endpoint serves this kind of input (images, tools) for this model: another model may' },
    { text: /no endpoints found/i, reason: 'model_not_found', note: 'no endpoint serves this model' },
  ],
};
