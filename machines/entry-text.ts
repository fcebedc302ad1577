import { flat } from './held-values.js';

/**
 * The detail of a decision to start on or escalate to a candidate, the same string for every run
 * that enters that candidate the same way. A run holds its decisions to its end, and a dead
 * chain's run enters every candidate: each made its own 80 to 100-byte sentence, held once per
 * failed candidate by every run in flight. Runs of one chain enter its candidates the same way,
 * so they now share one string per candidate. A string is immutable: sharing it changes nothing a
 * host can see (as skip details, machines/skip-report.ts).
 */
interface EntryText {
  /** undefined for the run's first candidate (`starting on …`). */
  fromProvider: string | undefined;
  fromModel: string | undefined;
  profileId: string;
  /** The failure the run escalates after, if any. */
  reason: string | undefined;
  text: string;
}

/** Candidates whose last entry text is kept, at most: a host uses a few chains; the bound keeps made-up names from growing it. */
const MAX_ENTRY_TEXTS = 4096;
const entryTexts = new Map<string, Map<string, EntryText>>();
let entryTextCount = 0;

function written(t: EntryText, fromProvider: string | undefined, fromModel: string | undefined, profileId: string, reason: string | undefined): boolean {
  return t.fromProvider === fromProvider && t.fromModel === fromModel && t.profileId === profileId && t.reason === reason;
}

function remember(provider: string, model: string, t: EntryText): void {
  let models = entryTexts.get(provider);
  if (!models?.has(model)) {
    if (entryTextCount >= MAX_ENTRY_TEXTS) {
      entryTexts.clear();
      entryTextCount = 0;
      models = undefined;
    }
    if (!models) entryTexts.set(provider, (models = new Map()));
    entryTextCount++;
  }
  models.set(model, t);
}

/**
 * `escalating from <from> to <provider>/<model> on <profileId>[ after <reason>]`, or, without
 * `from`, `starting on <provider>/<model> with <profileId>`: the same string as the last run that
 * entered this candidate from the same place, on the same profile, after the same failure.
 */
export function entryDetail(from: { provider: string; model: string } | undefined, provider: string, model: string, profileId: string, reason: string | undefined): string {
  const known = entryTexts.get(provider)?.get(model);
  if (known && written(known, from?.provider, from?.model, profileId, reason)) return known.text;
  const text = from
    ? flat`escalating from ${from.provider}/${from.model} to ${provider}/${model} on ${profileId}${reason ? ` after ${reason}` : ''}`
    : flat`starting on ${provider}/${model} with ${profileId}`;
  remember(provider, model, { fromProvider: from?.provider, fromModel: from?.model, profileId, reason, text });
  return text;
}
