import type { SessionStore } from '../../src/store/types.js';
import type { Turn } from '../../src/types.js';

/**
 * What must hold for a session whatever ran on it, however it was interleaved or killed:
 * seq is 1..n without gaps, and every run's turns are one block of consecutive seqs, user
 * turn(s) then exactly one assistant reply last. Returns the problems found (empty when sound).
 */
export async function sessionProblems(sessionId: string, turns: Turn[], store: SessionStore): Promise<string[]> {
  const problems: string[] = [];
  turns.forEach((t, i) => {
    if (t.seq !== i + 1) problems.push(`${sessionId}: turn #${i} has seq ${t.seq}`);
  });
  const blocks: { runId: string; turns: Turn[] }[] = [];
  for (const t of turns) {
    const last = blocks.at(-1);
    if (last && last.runId === t.runId) last.turns.push(t);
    else blocks.push({ runId: t.runId, turns: [t] });
  }
  const seen = new Set<string>();
  for (const b of blocks) {
    if (seen.has(b.runId)) problems.push(`${sessionId}: turns of ${b.runId} are interleaved with another run's`);
    seen.add(b.runId);
    const roles = b.turns.map((t) => t.role);
    if (roles.at(-1) !== 'assistant' || roles.slice(0, -1).some((r) => r === 'assistant') || roles.length < 2) {
      problems.push(`${sessionId}: run ${b.runId} appended ${roles.join(',')} instead of its message(s) then one reply`);
    }
    const status = (await store.getRun(b.runId))?.status;
    if (status !== 'succeeded') problems.push(`${sessionId}: run ${b.runId} has turns but status ${status}`);
  }
  return problems;
}
