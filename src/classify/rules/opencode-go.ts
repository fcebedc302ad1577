import type { RuleTable } from './types.js';

/**
 * OpenCode Go is a subscription gateway: the upstream vendor accounts (Alibaba, Moonshot) are the
 * gateway's, not the caller's. An upstream vendor's money code relayed through it hits the models the
 * gateway routes to that vendor; the subscription's other models still answer (anomalyco/opencode#22994).
 * The subscription's own balance (`CreditsError`, opencode.ai billing) stays the caller's account.
 */
export const OPENCODE_GO_RULES: RuleTable = {
  family: 'opencode-go',
  title: 'OpenCode Go (subscription gateway)',
  providers: ['opencode-go'],
  rules: [
    { code: /^(arrearage|exceeded_current_quota_error)$/i, reason: 'billing', scope: 'model', note: "an upstream vendor's account behind the gateway is out of money (Alibaba Arrearage, Moonshot exceeded_current_quota_error): the models routed there fail, not the subscription" },
  ],
};
