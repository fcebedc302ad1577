import { EntryPart } from './decision-log.js';
import { flat } from './held-values.js';
import { PerCandidate } from './per-candidate.js';

/**
 * The decision to start on or escalate to a candidate, the same for every run that enters that
 * candidate the same way but for its time. A run holds its decisions to its end, and a dead
 * chain's run enters every candidate: each made its own 80 to 100-byte sentence and its own
 * decision, held once per failed candidate by every run in flight. Runs of one chain enter its
 * candidates the same way, so they now share one frozen part (sentence included) per candidate.
 * The part is never shown: the decision a host reads is made from it (machines/decision-log.ts).
 */
interface EntryText {
  /** undefined for the run's first candidate (`starting on …`). */
  fromProvider: string | undefined;
  fromModel: string | undefined;
  profileId: string;
  /** The failure the run escalates after, if any. */
  reason: string | undefined;
  /** The decision without its time, shared as its detail is (machines/decision-log.ts). */
  part: EntryPart;
}

/** Candidates whose last entry text is kept, at most (machines/per-candidate.ts). */
const entryTexts = new PerCandidate<EntryText>(4096);

function written(t: EntryText, fromProvider: string | undefined, fromModel: string | undefined, profileId: string, reason: string | undefined): boolean {
  return t.fromProvider === fromProvider && t.fromModel === fromModel && t.profileId === profileId && t.reason === reason;
}

/**
 * The decision to enter a candidate, without its time: `escalate` with the detail `escalating
 * from <from> to <provider>/<model> on <profileId>[ after <reason>]` (its reason the failure, or
 * `escalate`), or, without `from`, `select` with `starting on <provider>/<model> with
 * <profileId>` (reason `first_usable`). The same frozen part, detail included, as the last run
 * that entered this candidate from the same place, on the same profile, after the same failure.
 */
export function entryPart(from: { provider: string; model: string } | undefined, provider: string, model: string, profileId: string, reason: string | undefined): EntryPart {
  const known = entryTexts.get(provider, model);
  if (known && written(known, from?.provider, from?.model, profileId, reason)) return known.part;
  const part = from
    ? new EntryPart('escalate', provider, model, profileId, reason ?? 'escalate', flat`escalating from ${from.provider}/${from.model} to ${provider}/${model} on ${profileId}${reason ? ` after ${reason}` : ''}`)
    : new EntryPart('select', provider, model, profileId, 'first_usable', flat`starting on ${provider}/${model} with ${profileId}`);
  entryTexts.set(provider, model, { fromProvider: from?.provider, fromModel: from?.model, profileId, reason, part });
  return part;
}
