import type { RunEvent } from '../src/events.js';
import { candidateBlock, type Blocker } from '../src/policy/availability.js';
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

/**
 * The event and the decision that say why each of these candidates is passed over without a call.
 * Optional fields are set on the object made, not spread in: a dead chain makes one of each per
 * candidate, and a spread of a conditional literal is V8's slow copy.
 */
export function skipped(ctx: RunContext, indexes: readonly number[]): { events: RunEvent[]; decisions: Decision[] } {
  const events: RunEvent[] = [];
  const decisions: Decision[] = [];
  const runId = ctx.run.runId;
  const at = ctx.now;
  for (const i of indexes) {
    const c = ctx.chain[i]!;
    const block = candidateBlock(ctx, i);
    if (!block) continue;
    const b = block.blocker;
    const key = b.kind === 'cooldown' ? b.entry : b.kind === 'failed_in_run' ? b.block : undefined;
    const detail = `skipped ${c.provider}/${c.model} without a call: ${blockerText(b)}`;
    const event: SkipEvent = { type: 'candidate.skipped', runId, at, provider: c.provider, model: c.model, reason: b.kind, detail };
    if (key) {
      const blockedBy: NonNullable<SkipEvent['blockedBy']> = { provider: key.provider } as NonNullable<SkipEvent['blockedBy']>;
      if (key.profileId !== undefined) blockedBy.profileId = key.profileId;
      if (key.model !== undefined) blockedBy.model = key.model;
      blockedBy.reason = key.reason;
      blockedBy.until = key.until;
      event.blockedBy = blockedBy;
    }
    events.push(event);
    const decision: Decision = { kind: 'skip', at, provider: c.provider, model: c.model, reason: b.kind, detail };
    if (block.freeAt !== undefined) decision.until = block.freeAt;
    decisions.push(decision);
  }
  return { events, decisions };
}
