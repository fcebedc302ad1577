import type { RunEvent } from '../src/events.js';
import { flat } from './held-values.js';
import { isoTime } from '../src/iso-time.js';
import { candidateBlock, type Blocker, type CandidateBlock } from '../src/policy/availability.js';
import type { RunContext } from './run-types.js';
import { SkipPart } from './decision-log.js';
import { PerCandidate } from './per-candidate.js';

// The skips of one decision often name the same time (cooldowns set together): formatted once.
let lastTime = Number.NaN;
let lastText = '';
export function iso(t: number): string {
  if (!Number.isFinite(t)) return 'the end of the run';
  if (t !== lastTime) {
    lastText = isoTime(t);
    lastTime = t;
  }
  return lastText;
}

/** Why a (model, profile) is passed over, as a skip decision says it. */
export function blockerText(b: Blocker): string {
  switch (b.kind) {
    case 'cooldown': {
      const e = b.entry;
      const what = e.profileId ? `profile ${e.profileId}` : e.model ? `model ${e.model} of ${e.provider}` : `provider ${e.provider}`;
      return `${what} cooling down (${e.reason}) until ${iso(e.until)}`;
    }
    case 'failed_in_run':
      return `failed earlier in this run (${b.block.reason})${Number.isFinite(b.block.until) ? `, blocked until ${iso(b.block.until)}` : ''}`;
    case 'attempt_budget':
      return 'attempt budget spent';
  }
}

type SkipEvent = Extract<RunEvent, { type: 'candidate.skipped' }>;
type BlockKey = { provider: string; profileId?: string | undefined; model?: string | undefined; reason: NonNullable<SkipEvent['blockedBy']>['reason']; until: number };

/** The key a skip was blocked by, as one literal of its exact shape (no spread of conditional literals). */
function blockedBy(k: BlockKey): NonNullable<SkipEvent['blockedBy']> {
  const { provider, profileId, model, reason, until } = k;
  if (profileId !== undefined) return model !== undefined ? { provider, profileId, model, reason, until } : { provider, profileId, reason, until };
  return model !== undefined ? { provider, model, reason, until } : { provider, reason, until };
}

/**
 * A skip's detail as last written for one candidate (provider, model), with what it was made of.
 * Runs that skip the same candidate for the same block (every run during an incident, and a
 * long chain's run skips dozens) get the very same string: nothing to build per skip, and the
 * runs in flight, which hold their decisions to the end, hold one copy between them. A string
 * is immutable, so sharing it changes nothing a host can see.
 */
interface SkipText {
  kind: Blocker['kind'];
  /** The blocking key and its reason and end (cooldown), or the block's reason and end (failed_in_run). */
  provider: string | undefined;
  profileId: string | undefined;
  model: string | undefined;
  reason: string | undefined;
  until: number;
  text: string;
  /**
   * The skip decision last made with this text, without its time (machines/decision-log.ts):
   * the same frozen part for every run that skips the candidate for the same block.
   */
  part: SkipPart | undefined;
}

/** Candidates whose last skip text is kept, at most (machines/per-candidate.ts). */
const skipTexts = new PerCandidate<SkipText>(4096);

/** Whether `t` was written for this candidate's blocker (every part the text is made of is the same). */
function writtenFor(t: SkipText, b: Blocker): boolean {
  if (t.kind !== b.kind) return false;
  if (b.kind === 'cooldown') {
    const e = b.entry;
    return t.until === e.until && t.reason === e.reason && t.provider === e.provider && t.profileId === e.profileId && t.model === e.model;
  }
  if (b.kind === 'failed_in_run') return t.until === b.block.until && t.reason === b.block.reason;
  return true;
}

/** The text entry of this candidate for this blocker: the last one, or a new one that replaces it. */
function skipText(provider: string, model: string, b: Blocker): SkipText {
  const known = skipTexts.get(provider, model);
  if (known && writtenFor(known, b)) return known;
  const text = flat`skipped ${provider}/${model} without a call: ${blockerText(b)}`;
  const key = b.kind === 'cooldown' ? b.entry : undefined;
  const block = b.kind === 'failed_in_run' ? b.block : undefined;
  const t: SkipText = {
    kind: b.kind,
    provider: key?.provider,
    profileId: key?.profileId,
    model: key?.model,
    reason: key?.reason ?? block?.reason,
    until: key?.until ?? block?.until ?? Number.NaN,
    text,
    part: undefined,
  };
  skipTexts.set(provider, model, t);
  return t;
}

/** `skipped <provider>/<model> without a call: <why>`, the same string as the last skip of this candidate for the same block. */
export function skipDetail(provider: string, model: string, b: Blocker): string {
  return skipText(provider, model, b).text;
}

/**
 * The skip decision of this candidate for this blocker, without its time: the very same frozen
 * part as the last skip of the candidate for the same block and end (`freeAt`, its soonest
 * profile's), so runs in flight that skip a chain's candidates hold one part per candidate
 * between them (machines/decision-log.ts). Its detail is skipDetail's.
 */
function skipPart(provider: string, model: string, b: Blocker, freeAt: number | undefined): SkipPart {
  const t = skipText(provider, model, b);
  const known = t.part;
  // its reason is the blocker's kind, which the text was written for
  if (known && known.until === freeAt) return known;
  return (t.part = new SkipPart(provider, model, b.kind, t.text, freeAt));
}

/**
 * The event and the decision that say why each of these candidates is passed over without a call
 * (`known`: their blocks, when the walk that passed them over found them already). The decisions
 * are taken at the context's `now`; each is a part shared between runs (see skipPart), its time
 * given to the run's log with them. Each event is one literal of its final shape, not a spread of
 * conditional literals (V8's slow copy). The detail text is shared (see skipDetail).
 */
export function skipped(ctx: RunContext, indexes: readonly number[], known?: readonly (CandidateBlock | undefined)[]): { events: RunEvent[]; skips: SkipPart[] } {
  // nothing passed over (the usual escalation): the shared empty answer, not two lists and a record made for it
  if (indexes.length === 0) return NOTHING_SKIPPED;
  const events: RunEvent[] = [];
  const skips: SkipPart[] = [];
  const runId = ctx.run.runId;
  const at = ctx.now;
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k]!;
    const c = ctx.chain[i]!;
    const block = known ? known[k] : candidateBlock(ctx, i);
    if (!block) continue;
    const b = block.blocker;
    const key = b.kind === 'cooldown' ? b.entry : b.kind === 'failed_in_run' ? b.block : undefined;
    const { provider, model } = c;
    const reason = b.kind;
    const part = skipPart(provider, model, b, block.freeAt);
    const detail = part.detail;
    events.push(
      key
        ? { type: 'candidate.skipped', runId, at, provider, model, reason, detail, blockedBy: blockedBy(key) }
        : { type: 'candidate.skipped', runId, at, provider, model, reason, detail },
    );
    skips.push(part);
  }
  return { events, skips };
}

/** What skipped() answers for no candidate: frozen, as it is shared (its lists are only read, never pushed onto). */
const NOTHING_SKIPPED: { events: RunEvent[]; skips: SkipPart[] } = Object.freeze({ events: Object.freeze([]) as unknown as RunEvent[], skips: Object.freeze([]) as unknown as SkipPart[] });
