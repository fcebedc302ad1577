import { ANTHROPIC_RULES } from './anthropic.js';
import { AWS_BEDROCK_RULES } from './aws-bedrock.js';
import { AZURE_RULES } from './azure.js';
import { GENERIC_RULES } from './generic.js';
import { GOOGLE_RULES } from './google.js';
import { GROQ_RULES } from './groq.js';
import { MODELSCOPE_RULES } from './modelscope.js';
import { MOONSHOT_RULES } from './moonshot.js';
import { NVIDIA_RULES } from './nvidia.js';
import { OPENAI_RULES } from './openai.js';
import { OPENCODE_GO_RULES } from './opencode-go.js';
import { OPENROUTER_RULES } from './openrouter.js';
import { QWEN_RULES } from './qwen.js';
import type { RuleTable } from './types.js';
import { XAI_RULES } from './xai.js';

export { GENERIC_RULES } from './generic.js';
export { STATUS_RULES, statusRule } from './status.js';
export type { Rule, RuleTable, StatusRule } from './types.js';

export const FAMILY_TABLES: readonly RuleTable[] = [
  OPENAI_RULES,
  ANTHROPIC_RULES,
  GOOGLE_RULES,
  AWS_BEDROCK_RULES,
  AZURE_RULES,
  OPENROUTER_RULES,
  GROQ_RULES,
  MOONSHOT_RULES,
  XAI_RULES,
  QWEN_RULES,
  OPENCODE_GO_RULES,
  MODELSCOPE_RULES,
  NVIDIA_RULES,
];

/** `openai-codex/gpt-5.5` or `anthropic:default` → `openai-codex` / `anthropic`. */
function baseName(provider: string): string {
  return provider.trim().toLowerCase().split(/[/:]/, 1)[0] ?? '';
}

// Per provider name as the host spells it: the family its name selects (null: none, look at headers).
const BY_NAME = new Map<string, RuleTable | null>();

function familyByName(provider: string): RuleTable | null {
  let family = BY_NAME.get(provider);
  if (family !== undefined) return family;
  const name = baseName(provider);
  family = FAMILY_TABLES.find((t) => t.providers.includes(name)) ?? FAMILY_TABLES.find((t) => t.providers.some((p) => name.startsWith(`${p}-`))) ?? null;
  if (BY_NAME.size >= 1_000) BY_NAME.clear();
  BY_NAME.set(provider, family);
  return family;
}

export function familyOf(provider: string | undefined, headers: ReadonlyMap<string, unknown> | readonly string[]): RuleTable | undefined {
  const named = provider ? familyByName(provider) : null;
  if (named) return named;
  // Table order decides between families whose headers are both present.
  // Most failures carry no header: no list of names is made for them.
  if (isNames(headers) ? headers.length === 0 : headers.size === 0) return undefined;
  const names: readonly string[] = isNames(headers) ? headers : [...headers.keys()];
  return FAMILY_TABLES.find((t) => t.headerPrefixes?.some((pre) => names.some((h) => h.startsWith(pre))));
}

const isNames = (headers: ReadonlyMap<string, unknown> | readonly string[]): headers is readonly string[] => Array.isArray(headers);

/**
 * The tables to walk, in priority order: the provider's own family first, then the generic rules.
 * When the family is unknown, the other families' wording still helps, after the generic rules.
 */
export function tablesFor(family: RuleTable | undefined): readonly RuleTable[] {
  return family ? [family, GENERIC_RULES] : [GENERIC_RULES, ...FAMILY_TABLES];
}
