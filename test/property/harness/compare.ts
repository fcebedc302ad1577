import type { Expectation, ExpectedDecision } from '../../oracle/expectation.js';
import type { Trace } from './run-world.js';

/** The engine's run reduced to what the oracle predicts, so the two compare with one toEqual. */
export function observed(trace: Trace) {
  const out = trace.output;
  const decisions: ExpectedDecision[] = (out?.decisions ?? []).map((d) => {
    if (d.kind === 'fail' || d.kind === 'persist' || d.kind === 'tools') return { kind: d.kind };
    if (d.kind === 'skip') return { kind: d.kind, provider: d.provider!, model: d.model! };
    return { kind: d.kind, provider: d.provider!, model: d.model!, profileId: d.profileId! };
  });
  return {
    status: out?.status,
    code: out?.status === 'failed' ? (out.error as { code?: string }).code : undefined,
    servedBy: out?.status === 'succeeded' ? out.servedBy : undefined,
    calls: trace.calls.map((c) => ({ provider: c.provider, model: c.model, profileId: c.profileId, startedAt: c.startedAt })),
    decisions,
    endedAt: trace.endedAt,
  };
}

export function predicted(e: Expectation) {
  return {
    status: e.status,
    code: e.code,
    servedBy: e.servedBy,
    calls: e.calls.map((c) => ({ provider: c.provider, model: c.model, profileId: c.profileId, startedAt: c.startedAt })),
    decisions: e.decisions,
    endedAt: e.endedAt,
  };
}
