import type { Message } from '../../src/index.js';
import type { Scenario } from '../engine/engine-runs.js';
import { FAILURES } from '../engine/scripted-call.js';

export const HELLO: readonly Message[] = Object.freeze([{ role: 'user', content: 'hello' }]);

/** The README's incident chain. */
export const INCIDENT_CHAIN = ['openai-codex/gpt-5.5', 'openai-codex/gpt-5.4-mini', 'deepseek/deepseek-v4-pro', 'deepseek/deepseek-v4-flash', 'moonshot/kimi-k2.6'];

/** The first candidate answers. */
export const SUCCESS: Scenario = {
  chain: ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'],
  answer: () => 'ok',
  expect: { calls: 1, status: 'succeeded' },
  leap: false,
  messages: HELLO,
};

/** The first candidate is overloaded (Anthropic 529): the run moves on to the next, which answers. */
export const ONE_FAILURE: Scenario = {
  chain: ['anthropic/claude-sonnet-4-5', 'deepseek/deepseek-v4-pro'],
  answer: (req) => (req.provider === 'anthropic' ? FAILURES.overloaded : 'ok'),
  expect: { calls: 2, status: 'succeeded' },
  leap: true,
  messages: HELLO,
};

/** The quota incident as it first happens: spent quota, the same provider's other model skipped, deepseek answers. */
export const QUOTA_INCIDENT: Scenario = {
  chain: INCIDENT_CHAIN,
  answer: (req) => (req.provider === 'openai-codex' ? FAILURES.quotaSpent : 'ok'),
  expect: { calls: 2, status: 'succeeded' },
  leap: true,
  messages: HELLO,
};

/** `length` candidates of as many providers, each with its quota spent: each is called once, the run fails exhausted. */
export function deadChain(length: number): Scenario {
  return {
    chain: Array.from({ length }, (_, i) => `dead${i}/model-${i}`),
    answer: () => FAILURES.quotaSpent,
    expect: { calls: length, status: 'failed' },
    leap: true,
    messages: HELLO,
  };
}

/** Providers of a skipped chain that are cooling down before the run (see skippedChain). */
export const coolingProvider = (i: number) => `cooling${i}`;

/** `length` candidates: the first `length - 1` providers cooling down (known cooldowns), the last answers. */
export function skippedChain(length: number): Scenario {
  return {
    chain: [...Array.from({ length: length - 1 }, (_, i) => `${coolingProvider(i)}/model-${i}`), 'deepseek/deepseek-v4-pro'],
    answer: () => 'ok',
    expect: { calls: 1, status: 'succeeded' },
    leap: false,
    messages: HELLO,
  };
}
