import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { defineCallSignal, signalAborted } from '../../src/call-signal.js';
import { EffectCut } from '../../src/effect-cut.js';

// A call's request gets its signal through one shared getter (src/call-signal.ts): the host must
// see what the getter of the request's literal gave it, an own enumerable `signal` read when read.

describe('a call request signal', () => {
  test.prop([fc.integer({ min: 1, max: 20 })])('each request reads the signal of its own source, whatever requests were made around it', (n) => {
    const sources = Array.from({ length: n }, () => ({ signal: new AbortController().signal }));
    const reqs = sources.map((s, i) => defineCallSignal({ attempt: i + 1 }, s));
    reqs.forEach((req, i) => expect(req.signal).toBe(sources[i]!.signal));
  });

  it('is an own enumerable property after the others, kept by a spread, with nothing else visible', () => {
    const signal = new AbortController().signal;
    const req = defineCallSignal({ runId: 'r', attempt: 1 }, { signal });
    expect(Object.keys(req)).toEqual(['runId', 'attempt', 'signal']);
    expect(Reflect.ownKeys(req)).toEqual(['runId', 'attempt', 'signal']);
    expect(Object.getPrototypeOf(req)).toBe(Object.prototype);
    expect({ ...req }.signal).toBe(signal);
  });

  it('reads the source only when the host reads the signal', () => {
    let reads = 0;
    const signal = new AbortController().signal;
    const req = defineCallSignal({ attempt: 1 }, { get signal() { reads++; return signal; } });
    expect(reads).toBe(0);
    expect(req.signal).toBe(signal);
    expect(reads).toBe(1);
  });
});

describe('signalAborted: whether a lazily carried signal is aborted, without making it', () => {
  it('asks a source that can tell (an EffectCut) and reads no signal, before and after the cut', () => {
    let reads = 0;
    const cut = new EffectCut();
    const source = { get signal() { reads++; return cut.signal; }, get aborted() { return cut.aborted; } };
    const args = defineCallSignal({ runId: 'r' }, source);
    expect(signalAborted(args)).toBe(false);
    cut.cut();
    expect(signalAborted(args)).toBe(true);
    expect(reads).toBe(0);
    // what the store reads when it must listen says the same
    expect(args.signal.aborted).toBe(true);
  });

  it('reads the signal itself from a source that cannot tell, and from plain arguments', () => {
    const ctl = new AbortController();
    const lazy = defineCallSignal({}, { signal: ctl.signal });
    const plain = { signal: ctl.signal };
    expect([signalAborted(lazy), signalAborted(plain), signalAborted({})]).toEqual([false, false, false]);
    ctl.abort();
    expect([signalAborted(lazy), signalAborted(plain), signalAborted({})]).toEqual([true, true, false]);
  });
});
