import { fc } from '@fast-check/vitest';
import type { Outcome, World } from './world-types.js';

const ms = (n: number) => (Number.isInteger(n) ? `${n}` : n.toFixed(4));

function outcomeText(o: Outcome): string {
  if (o.kind === 'hang') return 'hang';
  if (o.kind === 'reply') return `reply@${ms(o.delayMs)}`;
  const p = o.pinned;
  const extra = [p.retryable ? 'retryable' : 'final', p.retryAfterMs !== undefined ? `retry-after=${p.retryAfterMs}` : '', p.resetInMs !== undefined ? `reset-in=${p.resetInMs}` : '']
    .filter(Boolean)
    .join(',');
  return `${p.reason}/${p.scope}(${extra};${o.payload.status}${o.fixtureId ? ` ${o.fixtureId}` : ''})@${ms(o.delayMs)}`;
}

/** A world in a few readable lines: what a failing property prints as its counterexample. */
export function describeWorld(w: World): string {
  const { cooldownMs, ...limits } = w.policy;
  const lines = [
    `chain: ${w.chain.map((c) => `${c.provider}/${c.model}`).join(' → ')}`,
    `profiles: ${Object.entries(w.profiles).map(([p, ids]) => `${p}[${ids.join(',')}]`).join(' ')}`,
    `policy: ${JSON.stringify(limits)} cooldownMs=${JSON.stringify(cooldownMs)}`,
    `cooldowns before the run: ${w.cooldowns.map((c) => `${c.provider}|${c.profileId ?? '*'}|${c.model ?? '*'} until ${c.until} (${c.reason} ×${c.failures})`).join('; ') || 'none'}`,
    `abort at: ${w.abortAtMs !== undefined ? ms(w.abortAtMs) : 'never'}; prior turns: ${w.prior.length}; new messages: ${w.messages.length}`,
    ...Object.entries(w.scripts).map(([k, s]) => `  ${k}: ${s.map(outcomeText).join(', ')}`),
  ];
  return `World {\n${lines.join('\n')}\n}`;
}

/** Gives a world its readable form in fast-check's reports, without changing the value. */
export function withDescription(w: World): World {
  Object.defineProperty(w, fc.toStringMethod, { value: () => describeWorld(w), enumerable: false });
  return w;
}
