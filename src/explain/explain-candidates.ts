import { blockerText, iso } from '../../machines/skip-report.js';
import { blockerOf, candidateBlock, nextCandidate, probeTarget } from '../policy/availability.js';
import type { RunView } from '../policy/run-view.js';
import type { CooldownEntry } from '../types.js';

/**
 * What a run starting now does with a candidate: `call` it first, `probe` it (every candidate is
 * cooling down and this one frees up first), `skip` it without a call, or keep it as a
 * `fallback` that is reached only if the calls before it fail.
 */
export type CandidateVerdict = 'call' | 'probe' | 'skip' | 'fallback';

export interface ProfileExplanation {
  profileId: string;
  /** Whether a run could call the candidate with this profile now. */
  usable: boolean;
  /** The cooldown that blocks it: of those covering it, the one ending last (as the engine reads them). */
  cooldown?: CooldownEntry;
}

export interface CandidateExplanation {
  provider: string;
  model: string;
  verdict: CandidateVerdict;
  /** For `call` and `probe`: the profile of the first call. */
  profileId?: string;
  /** Every profile of the candidate, in the order a run tries them. */
  profiles: ProfileExplanation[];
  /** When every profile is blocked: the soonest time one frees up. */
  freeAt?: number;
  /** One sentence, in the words of the run's own decisions. */
  detail: string;
}

export interface ChainExplanation {
  /** The time the explanation holds for (store clock, ms). */
  now: number;
  /**
   * `call`: the first call goes to a usable candidate; `probe`: every candidate is cooling down
   * and the run calls the one that frees up first, once; `fail`: the run fails at once with
   * `FALLBACK_EXHAUSTED`, calling nothing.
   */
  outcome: 'call' | 'probe' | 'fail';
  /** The chain in order. */
  candidates: CandidateExplanation[];
  detail: string;
}

function profilesOf(view: RunView, candidateIndex: number): ProfileExplanation[] {
  return view.chain[candidateIndex]!.profiles.map((profileId, p) => {
    const blocker = blockerOf(view, candidateIndex, p);
    return { profileId, usable: blocker === undefined, ...(blocker?.kind === 'cooldown' ? { cooldown: blocker.entry } : {}) };
  });
}

/**
 * The first step of a run over `view` (a run that has not called anything yet), told candidate
 * by candidate. It asks the engine's own policy (`nextCandidate`, `probeTarget`, `blockerOf`),
 * so it names exactly the calls and skips a run starting at `view.now` would make.
 */
export function explainCandidates(view: RunView): ChainExplanation {
  const { pick } = nextCandidate(view, -1);
  const probe = pick ? undefined : probeTarget(view);
  const first = pick ?? probe;
  const nameAt = (i: number) => `${view.chain[i]!.provider}/${view.chain[i]!.model}`;
  const candidates = view.chain.map((c, i): CandidateExplanation => {
    const profiles = profilesOf(view, i);
    const block = candidateBlock(view, i);
    const freeAt = block?.freeAt !== undefined ? { freeAt: block.freeAt } : {};
    const name = nameAt(i);
    if (first && i === first.candidateIndex) {
      const profileId = c.profiles[first.profileIndex]!;
      const detail = probe
        ? `probe ${name} on ${profileId}, the first to free up (${iso(probe.until)}), once`
        : `call ${name} with ${profileId}${first.profileIndex > 0 ? ` (passing over ${passedOver(view, i, first.profileIndex)})` : ''}`;
      return { provider: c.provider, model: c.model, verdict: probe ? 'probe' : 'call', profileId, profiles, ...freeAt, detail };
    }
    if (pick && i > pick.candidateIndex) {
      const detail = block
        ? `fallback ${name}, but it would be skipped too if reached now: ${blockerText(block.blocker)}`
        : `fallback ${name}: called only if the calls before it fail`;
      return { provider: c.provider, model: c.model, verdict: 'fallback', profiles, ...freeAt, detail };
    }
    // before the first call, or with nothing callable, every candidate is blocked
    const why = block ? blockerText(block.blocker) : 'not reached';
    return { provider: c.provider, model: c.model, verdict: 'skip', profiles, ...freeAt, detail: `skip ${name} without a call: ${why}` };
  });
  const skips = candidates.filter((c) => c.verdict === 'skip').length;
  const detail = pick
    ? `a run starting now calls ${nameAt(pick.candidateIndex)} first${skips ? `, skipping ${skips} candidate(s)` : ''}`
    : probe
      ? `every candidate is cooling down: a run starting now probes ${nameAt(probe.candidateIndex)} once`
      : 'every candidate is cooling down: a run starting now fails at once (FALLBACK_EXHAUSTED) without calling anything';
  return { now: view.now, outcome: pick ? 'call' : probe ? 'probe' : 'fail', candidates, detail };
}

/** Why the profiles before the one a run calls are passed over. */
function passedOver(view: RunView, candidateIndex: number, profileIndex: number): string {
  const texts: string[] = [];
  for (let p = 0; p < profileIndex; p++) {
    const blocker = blockerOf(view, candidateIndex, p);
    if (blocker) texts.push(blockerText(blocker));
  }
  return texts.join('; ');
}
