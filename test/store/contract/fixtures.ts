import type { CommitRunArgs, FailRunArgs, Lease, OpenRunArgs, RunStore } from '../../../src/store/types.js';
import type { AttemptRecord, Decision, ServedBy } from '../../../src/types.js';

// The arguments the engine would pass, with defaults a test overrides field by field.

export const served: ServedBy = { provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main' };

export function openArgs(runId: string, sessionId: string, overrides: Partial<OpenRunArgs> = {}): OpenRunArgs {
  return { runId, sessionId, now: 1_000, leaseTtlMs: 10_000, lockWaitMs: 1_000, providers: ['deepseek', 'openai-codex'], ...overrides };
}

export function attempt(n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return { n, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main', outcome: 'succeeded', startedAt: 1_000 + n, durationMs: 12, ...overrides };
}

export function decision(kind: Decision['kind'], overrides: Partial<Decision> = {}): Decision {
  return { kind, at: 1_000, reason: kind === 'persist' ? 'committed' : 'first_usable', detail: `${kind} decided`, ...overrides };
}

export function commitArgs(runId: string, overrides: Partial<CommitRunArgs> = {}): CommitRunArgs {
  return {
    runId,
    messages: [{ role: 'user', content: `question of ${runId}` }],
    reply: { role: 'assistant', content: `answer to ${runId}` },
    servedBy: served,
    attempts: [attempt(1)],
    now: 2_000,
    ...overrides,
  };
}

export function failArgs(runId: string, sessionId: string, overrides: Partial<FailRunArgs> = {}): FailRunArgs {
  return { runId, sessionId, status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', errorMessage: 'every candidate failed', attempts: [], now: 1_500, ...overrides };
}

/** Opens and commits one run: the common way to put history in a session. */
export async function completeRun(store: RunStore, runId: string, sessionId: string, now = 1_000): Promise<Lease> {
  const { lease } = await store.openRun(openArgs(runId, sessionId, { now }));
  await store.commitRun(lease, commitArgs(runId, { now: now + 1 }));
  return lease;
}

/** Lets queued microtasks and immediate callbacks run. */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
