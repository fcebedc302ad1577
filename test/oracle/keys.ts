import type { FailureReason, FailureScope } from '../../src/classify/types.js';
import { ACCOUNT } from './rules.js';

/** What a block covers: a provider, a profile of it, a model of it, or a model under one profile. */
export interface Key {
  provider: string;
  profileId?: string;
  model?: string;
}

export interface Target {
  provider: string;
  model: string;
  profileId: string;
}

export function keyFor(scope: FailureScope, reason: FailureReason, t: Target): Key {
  if (scope === 'provider') return { provider: t.provider };
  if (scope === 'profile') return { provider: t.provider, profileId: t.profileId };
  if (scope === 'model' && !ACCOUNT.has(reason)) return { provider: t.provider, model: t.model };
  return { provider: t.provider, profileId: t.profileId, model: t.model };
}

export const covers = (k: Key, t: Target): boolean =>
  k.provider === t.provider && (k.profileId === undefined || k.profileId === t.profileId) && (k.model === undefined || k.model === t.model);

export const sameKey = (a: Key, b: Key): boolean => a.provider === b.provider && a.profileId === b.profileId && a.model === b.model;

export const keyText = (k: Key): string => [k.provider, k.profileId ?? '*', k.model ?? '*'].join('|');
