import type { RunEvent } from '../src/events.js';
import { flat } from './held-values.js';
import { candidateBlock, type Blocker, type CandidateBlock } from '../src/policy/availability.js';
import type { Decision } from '../src/types.js';
import type { RunContext } from './run-types.js';

// The skips of one decision often name the same time (cooldowns set together): formatted once.
let lastTime = Number.NaN;
let lastText = '';
export function iso(t: number): string {
  if (!Number.isFinite(t)) return 'the end of the run';
  if (t !== lastTime) {
    lastText = new Date(t).toISOString();
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
 * The event and the decision that say why each of these candidates is passed over without a call
 * (`known`: their blocks, when the walk that passed them over found them already).
 * Each object is one literal of its final shape, not a spread of conditional literals (V8's slow
 * copy) nor a property added later (an out-of-object property store): a dead chain makes one of
 * each per candidate, and a run holds its decisions to the end.
 */
export function skipped(ctx: RunContext, indexes: readonly number[], known?: readonly (CandidateBlock | undefined)[]): { events: RunEvent[]; decisions: Decision[] } {
  const events: RunEvent[] = [];
  const decisions: Decision[] = [];
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
    const detail = flat`skipped ${provider}/${model} without a call: ${blockerText(b)}`;
    events.push(
      key
        ? { type: 'candidate.skipped', runId, at, provider, model, reason, detail, blockedBy: blockedBy(key) }
        : { type: 'candidate.skipped', runId, at, provider, model, reason, detail },
    );
    const until = block.freeAt;
    decisions.push(until !== undefined ? { kind: 'skip', at, provider, model, reason, detail, until } : { kind: 'skip', at, provider, model, reason, detail });
  }
  return { events, decisions };
}
