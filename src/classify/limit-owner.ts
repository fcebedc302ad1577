import type { FailureScope } from './types.js';

// A limit that names the model it counts ("Rate limit reached for gpt-4o-mini in organization ...",
// "for model `llama-3.3-70b`", "base model: claude-3-5-sonnet"): it blocks that model under this key.
const NAMES_MODEL = /\b(?:reached|exceeded) for (?:model )?[`'"]?[a-z][\w.:/-]*\d[\w.:/-]*|\bmodels?[:= ]\s*[`'"]?[a-z][\w.:/-]*\d|\bbase model\b/i;

// A limit owned by something every model of the key shares: a proxy's virtual key, a team, a project, a user.
const OWNER_LIMIT =
  /\b(?:project|team|user|virtual key|api key)(?:'s)? (?:tpm|rpm|tpd|rpd|rate limit|max rpm)\b|\brate limit type = (?:key|team|user|project)\b|\blimit for\b[^\n.]{0,30}\bkey\b|\b(?:for|of|on) (?:this|your) (?:api |virtual )?key\b/i;

// A limit counted per caller address (an API gateway's IP policy): every key from this host hits it.
const ADDRESS_LIMIT = /\b(policy ip|per ip|ip (address )?(over )?rate ?limit|from your ip|your ip( address)? (has|is|exceeded))\b/i;

/**
 * The scope a rate or quota limit's own words give it when no rule said: the model it names, else the
 * key-wide owner it names (project, team, virtual key), the caller's address (every key from here: the provider),
 * else nothing (the family or reason default).
 */
export function limitOwnerScope(text: string): FailureScope | undefined {
  if (ADDRESS_LIMIT.test(text)) return 'provider';
  if (NAMES_MODEL.test(text)) return 'model';
  if (OWNER_LIMIT.test(text)) return 'profile';
  return undefined;
}
