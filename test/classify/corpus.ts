import type { CorpusAccuracy } from '../../src/classify/errors-doc.js';
import { classifyError, type Classification, type FailureReason, type FailureScope } from '../../src/classify/index.js';
import { loadHeldOutResults, loadPayloads, type Payload } from './fixtures.js';

/** The clock every corpus entry is classified against: retry expectations are relative to it. */
export const CORPUS_NOW = Date.parse('2026-05-18T22:00:00Z');

export interface CorpusResult {
  p: Payload;
  c: Classification;
  reasonOk: boolean;
  scopeOk: boolean;
}

/** A corpus entry as a host would throw it: the HTTP exchange, or only the body when no response came. */
export function asThrown(p: Payload): unknown {
  return p.status === null ? { headers: p.headers, body: p.body } : { status: p.status, headers: p.headers, body: p.body };
}

export function classifyCorpus(payloads: readonly Payload[] = loadPayloads()): CorpusResult[] {
  return payloads.map((p) => {
    const c = classifyError(asThrown(p), { provider: p.provider, now: () => CORPUS_NOW });
    return { p, c, reasonOk: c.reason === p.reason, scopeOk: c.scope === p.scope };
  });
}

export interface ProviderAccuracy {
  provider: string;
  entries: number;
  reasons: number;
  scopes: number;
}

/** Accuracy per provider name as the corpus spells it, most entries first. */
export function accuracyByProvider(results: readonly CorpusResult[]): ProviderAccuracy[] {
  const by = new Map<string, ProviderAccuracy>();
  for (const r of results) {
    const a = by.get(r.p.provider) ?? { provider: r.p.provider, entries: 0, reasons: 0, scopes: 0 };
    a.entries++;
    if (r.reasonOk) a.reasons++;
    if (r.scopeOk) a.scopes++;
    by.set(r.p.provider, a);
  }
  return [...by.values()].sort((a, b) => b.entries - a.entries || a.provider.localeCompare(b.provider));
}

export interface Miss {
  id: string;
  expected: { reason: FailureReason; scope: FailureScope };
  got: { reason: FailureReason; scope: FailureScope };
}

export const missesOf = (results: readonly CorpusResult[]): Miss[] =>
  results
    .filter((r) => !r.reasonOk || !r.scopeOk)
    .map((r) => ({ id: r.p.id, expected: { reason: r.p.reason, scope: r.p.scope }, got: { reason: r.c.reason, scope: r.c.scope } }));

/** What docs/errors.md reports: accuracy per provider and the ids of the misses. */
export function corpusAccuracy(results: readonly CorpusResult[] = classifyCorpus()): CorpusAccuracy {
  return {
    rows: accuracyByProvider(results),
    misses: missesOf(results).map((m) => `${m.id} → ${m.got.reason}/${m.got.scope}`),
    heldOut: loadHeldOutResults(),
  };
}
