import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FAMILY_TABLES, GENERIC_RULES } from '../../src/classify/rules/index.js';
import { LiteralIndex, mayMatch, requiredLiterals } from '../../src/classify/rules/required-literals.js';
import { loadPayloads, loadPeerCases } from './fixtures.js';

const TEXT_PATTERNS = [GENERIC_RULES, ...FAMILY_TABLES].flatMap((t) => t.rules.flatMap((r) => (r.text ? [r.text] : [])));
const INDEX = new LiteralIndex(TEXT_PATTERNS);

// Every text the classifier could be asked about: corpus bodies (raw and as JSON), peer messages.
const TEXTS = [
  ...loadPayloads().map((p) => (typeof p.body === 'string' ? p.body : JSON.stringify(p.body))),
  ...loadPeerCases().map((c) => c.message),
];

describe('required literals: the prefilter in front of each text rule', () => {
  it('finds the runs every match must hold', () => {
    expect(requiredLiterals(/rate[ _-]?limit|too many requests/i)).toEqual([[['rate'], ['limit']], [['too many requests']]]);
    expect(requiredLiterals(/\b(daily|weekly)\b[^\n.]{0,30}\b(limit|quota|cap)/i)).toEqual([[['daily', 'weekly'], ['limit', 'quota', 'cap']]]);
    // An optional letter cuts the run, a repeated one ends it, a lookahead or a class adds nothing.
    expect(requiredLiterals(/exceeds? the maximum/i)).toEqual([[['exceed'], [' the maximum']]]);
    expect(requiredLiterals(/abc+def/i)).toEqual([[['abc'], ['def']]]);
    expect(requiredLiterals(/usage(?! later)[ _]limit/i)).toEqual([[['usage'], ['limit']]]);
    expect(requiredLiterals(/余额不足|欠费/)).toEqual([[['余额不足']], [['欠费']]]);
  });

  it('gives up (always runs the pattern) when some alternative holds no run worth checking', () => {
    expect(requiredLiterals(/\b(rpm|tpm)\b|[a-z]+\d/i)).toBeNull();
    expect(requiredLiterals(/^(?![\s\S]*\bmodels?\b)/i)).toBeNull();
  });

  it('never rejects a text its pattern matches, over every corpus and peer text', () => {
    let rejected = 0;
    for (const re of TEXT_PATTERNS) {
      for (const text of TEXTS) {
        const lower = text.toLowerCase();
        if (!re.test(text)) {
          if (!mayMatch(re, lower)) rejected++;
          continue;
        }
        expect(mayMatch(re, lower), `${re.source.slice(0, 60)} on ${text.slice(0, 80)}`).toBe(true);
        expect(INDEX.mayMatch(re, INDEX.scan(lower)), `${re.source.slice(0, 60)} (index) on ${text.slice(0, 80)}`).toBe(true);
      }
    }
    // It must also do its job: most (pattern, text) pairs that cannot match are skipped.
    expect(rejected).toBeGreaterThan(TEXT_PATTERNS.length * TEXTS.length * 0.5);
  });

  test.prop(
    [fc.array(fc.oneof(fc.constantFrom(...TEXTS.flatMap((t) => t.split(/(?<=\s)/)).slice(0, 4000)), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), { maxLength: 40 })],
  )('soundness: whenever a text rule matches a text, the index lets it run', (parts) => {
    const text = parts.join('');
    const found = INDEX.scan(text.toLowerCase());
    for (const re of TEXT_PATTERNS) if (re.test(text)) expect(INDEX.mayMatch(re, found), re.source.slice(0, 60)).toBe(true);
  });

  it('agrees with the one-pattern check on every corpus text', () => {
    for (const text of TEXTS) {
      const lower = text.toLowerCase();
      const found = INDEX.scan(lower);
      for (const re of TEXT_PATTERNS) if (mayMatch(re, lower)) expect(INDEX.mayMatch(re, found)).toBe(true);
    }
  });
});
