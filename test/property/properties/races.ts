import { expect } from 'vitest';
import type { Race } from '../../arbitraries/races.js';
import type { Message } from '../../../src/types.js';
import type { RaceTrace } from '../harness/run-race.js';

export const NO_INTERLEAVED_TURNS = 'races: runs on one session never interleave their turns: each run’s message(s) and reply sit together';
export const NO_LOST_REPLY = 'races: no reply is lost: every run that succeeded has its turns in the session, and no other run does';
export const SEES_EARLIER_TURNS = 'races: a run sees the turns of every run that finished before it took the session, in its history';

const text = (m: Pick<Message, 'role' | 'content'>) => `${m.role}: ${m.content}`;
const reply = (t: RaceTrace['runs'][number]) => (t.output?.status === 'succeeded' ? t.output.reply.content : undefined);

export function checkNoInterleavedTurns(race: Race, trace: RaceTrace): void {
  expect(trace.hung).toBe(false);
  const turns = trace.turns.slice(race.prior.length);
  const blocks: { runId: string; lines: string[] }[] = [];
  for (const t of turns) {
    const last = blocks.at(-1);
    if (last?.runId === t.runId) last.lines.push(text(t));
    else blocks.push({ runId: t.runId, lines: [text(t)] });
  }
  expect(new Set(blocks.map((b) => b.runId)).size, `interleaved: ${blocks.map((b) => b.runId).join(', ')}`).toBe(blocks.length);
  for (const b of blocks) {
    const run = trace.runs.find((r) => r.runId === b.runId)!;
    expect(b.lines).toEqual([...run.messages.map(text), `assistant: ${reply(run)}`]);
  }
}

export function checkNoLostReply(race: Race, trace: RaceTrace): void {
  expect(trace.hung).toBe(false);
  expect(trace.turns.slice(0, race.prior.length).map(text)).toEqual(race.prior.map(text));
  for (const run of trace.runs) {
    const mine = trace.turns.filter((t) => t.runId === run.runId).map(text);
    const r = reply(run);
    expect(mine, `${run.runId} ended ${run.output?.status}`).toEqual(r === undefined ? [] : [...run.messages.map(text), `assistant: ${r}`]);
  }
}

export function checkSeesEarlierTurns(race: Race, trace: RaceTrace): void {
  expect(trace.hung).toBe(false);
  // The session as it stood when each run ended (its commit, or its failure): a run holding the
  // session from its first read to its end saw exactly that, in every call it made.
  const committed: string[] = race.prior.map(text);
  const atEnd = new Map<string, string[]>();
  for (const entry of trace.log) {
    if (entry.type === 'committed' || entry.type === 'ended') atEnd.set(entry.runId, [...committed]);
    if (entry.type === 'committed') committed.push(...entry.turns.map(text));
  }
  for (const run of trace.runs) {
    for (const sent of run.sent) expect(sent.map(text), `${run.runId}'s history`).toEqual([...atEnd.get(run.runId)!, ...run.messages.map(text)]);
  }
}
