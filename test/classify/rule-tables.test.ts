import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, FAILURE_SCOPES } from '../../src/classify/index.js';
import { FAMILY_TABLES, familyOf, GENERIC_RULES, STATUS_RULES, statusRule, tablesFor } from '../../src/classify/rules/index.js';

const tables = [GENERIC_RULES, ...FAMILY_TABLES];
const rules = tables.flatMap((t) => t.rules.map((r) => ({ family: t.family, r })));

describe('rule tables', () => {
  it('hold only case-insensitive, stateless patterns: one code or one text per rule', () => {
    for (const { r } of rules) {
      const patterns = [r.code, r.text].filter((p) => p !== undefined);
      expect(patterns).toHaveLength(1);
      expect(patterns[0]?.flags).toBe('i');
    }
  });

  it('name real reasons and scopes, and never the engine-only interrupted', () => {
    for (const { r } of rules) {
      expect(FAILURE_REASONS).toContain(r.reason);
      expect(r.reason).not.toBe('interrupted');
      if (r.scope) expect(FAILURE_SCOPES).toContain(r.scope);
      expect(r.note.length).toBeGreaterThan(0);
    }
  });

  it('give each provider name to one family only', () => {
    const names = FAMILY_TABLES.flatMap((t) => t.providers);
    expect(new Set(names).size).toBe(names.length);
  });

  it('map every 4xx/5xx the table lists, and only those, to a base reason', () => {
    expect(statusRule(429)?.reason).toBe('rate_limit');
    expect(statusRule(599)?.reason).toBe('server_error');
    expect(statusRule(418)).toBeUndefined();
    expect(statusRule(200)).toBeUndefined();
    for (const r of STATUS_RULES) expect(FAILURE_REASONS).toContain(r.reason);
  });

  it('pick a family by provider name, prefix or headers, and read it before the generic rules', () => {
    expect(familyOf('azure-openai', [])?.family).toBe('azure');
    expect(familyOf('openai-codex/gpt-5.5', [])?.family).toBe('openai');
    expect(familyOf('qwen-token-plan', [])?.family).toBe('qwen');
    expect(familyOf(undefined, ['x-amzn-requestid'])?.family).toBe('aws-bedrock');
    expect(familyOf('somebody', [])).toBeUndefined();
    const anthropic = familyOf('anthropic', []);
    expect(tablesFor(anthropic).map((t) => t.family)).toEqual(['anthropic', 'generic']);
    expect(tablesFor(undefined)[0]?.family).toBe('generic');
  });
});
