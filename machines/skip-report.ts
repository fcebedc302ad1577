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

/** The event and the decision that say why each of these candidates is passed over without a call. */
export function skipped(ctx: RunContext, indexes: readonly number[]): { events: RunEvent[]; decisions: Decision[] } {
  const events: RunEvent[] = [];
  const decisions: Decision[] = [];
  for (const i of indexes) {
    const c = ctx.chain[i]!;
    const block = candidateBlock(ctx, i);
    if (!block) continue;
    const b = block.blocker;
    const key = b.kind === 'cooldown' ? b.entry : b.kind === 'failed_in_run' ? b.block : undefined;
    const detail = `skipped ${c.provider}/${c.model} without a call: ${blockerText(b)}`;
    events.push({
      type: 'candidate.skipped',
      runId: ctx.run.runId,
      at: ctx.now,
      provider: c.provider,
      model: c.model,
      reason: b.kind,
      detail,
      ...(key
        ? {
            blockedBy: {
              provider: key.provider,
              ...(key.profileId !== undefined ? { profileId: key.profileId } : {}),
              ...(key.model !== undefined ? { model: key.model } : {}),
              reason: key.reason,
              until: key.until,
            },
          }
        : {}),
    });
    decisions.push({
      kind: 'skip',
      at: ctx.now,
      provider: c.provider,
      model: c.model,
      reason: b.kind,
      detail,
      ...(block.freeAt !== undefined ? { until: block.freeAt } : {}),
    });
  }
  return { events, decisions };
}

