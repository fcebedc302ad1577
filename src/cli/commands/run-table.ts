import type { RunSummary } from '../../store/types.js';
import { brief } from '../output/text.js';
import { iso } from '../output/time.js';

export const RUN_HEADERS = ['RUN', 'SESSION', 'STATUS', 'STARTED', 'ATTEMPTS', 'SERVED BY', 'ERROR'] as const;

export function servedByText(r: Pick<RunSummary, 'servedBy'>): string {
  return r.servedBy ? `${r.servedBy.provider}/${r.servedBy.model} as ${r.servedBy.profileId}` : '-';
}

/** Table rows of runs: the error code with the start of its message. */
export function runRows(runs: readonly RunSummary[], attempts: ReadonlyMap<string, number>): string[][] {
  return runs.map((r) => [
    r.runId,
    r.sessionId,
    r.status,
    iso(r.startedAt),
    String(attempts.get(r.runId) ?? '-'),
    servedByText(r),
    r.errorCode ? `${r.errorCode}${r.errorMessage ? `: ${brief(r.errorMessage, 60)}` : ''}` : '-',
  ]);
}

/** Attempts per run: the summaries do not carry the count, so each run is read (one short read each). */
export async function attemptCounts(
  runs: readonly RunSummary[],
  getRun: (runId: string) => Promise<{ attempts: readonly unknown[] } | undefined>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.runId, (await getRun(r.runId))?.attempts.length ?? 0);
  return counts;
}
