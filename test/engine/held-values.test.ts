import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseChain } from '../../src/config/validate-run-options.js';
import { chainProviders } from '../../src/policy/chain-providers.js';
import { appended, compactNumber, flat } from '../../machines/held-values.js';

// What a run holds to its end is built compactly (machines/held-values.ts, the chain's candidates
// shared between runs): these pin that the compact forms say exactly what the plain ones said.

describe('held values', () => {
  test.prop([fc.array(fc.anything()), fc.array(fc.anything())])('appended is the list followed by the items, the list untouched', (list, items) => {
    const before = [...list];
    const out = appended(list, ...items);
    expect(out).toEqual([...list, ...items]);
    expect(out).not.toBe(list);
    expect(list).toEqual(before);
  });

  test.prop([fc.string(), fc.anything(), fc.string(), fc.anything()])('flat gives the text the template literal gives', (a, x, b, y) => {
    const s = (v: unknown) => (typeof v === 'symbol' ? v.description : v);
    const [vx, vy] = [s(x), s(y)];
    let expected: string | undefined;
    try {
      expected = `${a}${vx}${b}${vy}!`;
    } catch {
      return; // a value a template cannot print (an object without toString) is not a detail
    }
    expect(flat`${a}${vx}${b}${vy}!`).toBe(expected);
  });

  test.prop([fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 2 ** 30, -(2 ** 30), 2 ** 31, Infinity, Number.NaN))])('property: compactNumber gives the very same number', (n) => {
    expect(Object.is(compactNumber(n), n)).toBe(true);
  });

  it('flat prints undefined and null as a template does', () => {
    expect(flat`a ${undefined} b ${null} c ${3}`).toBe('a undefined b null c 3');
  });
});

describe('chain candidates shared between runs', () => {
  it('the same entry gives the same frozen candidate while its provider has the default profiles', () => {
    const [first] = parseChain(['held-a/model-1'], undefined);
    const [again] = parseChain(['held-a/model-1', 'held-b/model-2'], {});
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({ provider: 'held-a', model: 'model-1', profiles: ['held-a:default'] });
  });

  it("a provider's profile list given later is used, not the remembered default", () => {
    parseChain(['held-c/model-1'], undefined);
    const [listed] = parseChain(['held-c/model-1'], { 'held-c': ['p1', 'p2'] });
    expect(listed!.profiles).toEqual(['p1', 'p2']);
    const [plain] = parseChain(['held-c/model-1'], undefined);
    expect(plain!.profiles).toEqual(['held-c:default']);
  });

  it('a remembered entry is still refused when the chain names it twice', () => {
    parseChain(['held-d/model-1'], undefined);
    expect(() => parseChain(['held-d/model-1', 'held-d/model-1'], undefined)).toThrow(/duplicates candidate/);
  });

  it('a bad list of a provider the chain does not use is still refused', () => {
    parseChain(['held-e/model-1'], undefined);
    expect(() => parseChain(['held-e/model-1'], { other: [] })).toThrow(/profiles\.other/);
  });
});

describe('chains shared between runs', () => {
  it('an equal chain without a profile map gets the same frozen candidate list', () => {
    const chain = ['shared-a/m1', 'shared-b/m2', 'shared-a/m3'];
    const first = parseChain(chain, undefined);
    expect(parseChain(chain, undefined)).toBe(first);
    // another array of the same entries
    expect(parseChain([...chain], undefined)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual([
      { provider: 'shared-a', model: 'm1', profiles: ['shared-a:default'] },
      { provider: 'shared-b', model: 'm2', profiles: ['shared-b:default'] },
      { provider: 'shared-a', model: 'm3', profiles: ['shared-a:default'] },
    ]);
    expect(chainProviders(first)).toEqual(['shared-a', 'shared-b']);
    expect(chainProviders(first)).toBe(chainProviders(first));
  });

  it('a chain that differs in one entry, in length, or comes with profiles is parsed as given', () => {
    const chain = ['shared-c/m1', 'shared-d/m2'];
    const first = parseChain(chain, undefined);
    chain[1] = 'shared-e/m2';
    expect(parseChain(chain, undefined)).toEqual([first[0], { provider: 'shared-e', model: 'm2', profiles: ['shared-e:default'] }]);
    expect(parseChain(['shared-c/m1'], undefined)).toEqual([first[0]]);
    expect(parseChain(['shared-c/m1', 'shared-d/m2', 'shared-d/m3'], undefined)).toHaveLength(3);
    expect(parseChain(['shared-c/m1', 'shared-d/m2'], { 'shared-d': ['d1'] })[1]!.profiles).toEqual(['d1']);
    // still checked: a bad chain is refused, however like a remembered one it looks
    expect(() => parseChain(['shared-c/m1', 'shared-c/m1'], undefined)).toThrow(/duplicates/);
    expect(() => parseChain(['shared-c/m1', 7], undefined)).toThrow(/chain\[1\]/);
  });

  it('providers of a chain not shared are still its distinct providers in order', () => {
    const chain = parseChain(['solo-a/m1', 'solo-b/m1', 'solo-a/m2'], { 'solo-a': ['a1'] });
    expect(chainProviders(chain)).toEqual(['solo-a', 'solo-b']);
  });
});
