import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { agentWorldArb, describeAgentWorld, type AgentWorld } from '../../arbitraries/agent-worlds.js';
import type { Message } from '../../../src/types.js';
import { runAgentWorld, type AgentTrace } from '../harness/run-agent-world.js';

export const AGENT_LOOP =
  'agent loops: across tool loops and failure sequences, each tool call executes at most once and its result follows it, and the persisted transcript (or, for a failed run, the one it hands back) is exactly the messages the steps saw, each step’s output right after them';

/** Worlds that print as a readable script when a counterexample is shown. */
export const agentWorlds: fc.Arbitrary<AgentWorld> = agentWorldArb.map((w) => Object.assign(w, { [fc.toStringMethod]: () => describeAgentWorld(w) }));

/** What the run says the conversation is now: the session when it succeeded, the handed-back reply when it failed. */
function transcriptOf(t: AgentTrace): Message[] {
  const out = t.output!;
  if (out.status === 'succeeded') return t.turnsAfter;
  const kept = out.error.reply;
  return kept ? [...t.prior, ...kept.messages, kept.reply] : [...t.prior, t.user];
}

export function checkAgentLoop(world: AgentWorld, t: AgentTrace): void {
  expect(t.hung, 'the run never reached a final state').toBe(false);
  const out = t.output!;
  // at most once: no id ran twice, and every result the run gave back came from exactly one execution
  for (const [id, n] of t.executions) expect(n, `tool call ${id} executed ${n} times`).toBe(1);
  const transcript = transcriptOf(t);
  const results = new Set<string>();
  for (const m of transcript) {
    if (m.role !== 'tool' || typeof m.content === 'string') continue;
    for (const part of m.content) {
      if (part.type !== 'tool-result') continue;
      results.add(part.toolCallId);
      if (part.toolName !== 'client') expect(t.executions.get(part.toolCallId), `result of ${part.toolCallId}`).toBe(1);
    }
  }
  // ...and each execution's result is in the conversation, but for the batch a ToolAbortError ended
  const aborted = out.status === 'failed' && out.error.code === 'TOOL_ABORTED';
  const lastBatch = new Set(t.calls.at(-1)?.output?.flatMap((m) => (typeof m.content === 'string' ? [] : m.content.flatMap((p) => (p.type === 'tool-call' ? [p.toolCallId] : [])))) ?? []);
  for (const id of t.executions.keys()) {
    if (!(aborted && lastBatch.has(id))) expect(results.has(id), `tool call ${id} ran but its result is not in the conversation`).toBe(true);
  }
  // the session moves only with a success: prior turns, then exactly the run's messages
  if (out.status === 'succeeded') {
    expect(t.turnsAfter.slice(0, t.turnsBefore.length)).toEqual(t.turnsBefore);
    expect(t.turnsAfter.slice(t.turnsBefore.length)).toEqual([t.user, ...out.messages]);
  } else expect(t.turnsAfter).toEqual(t.turnsBefore);
  // every call saw a prefix of that transcript, and what a served call answered follows it there
  let seenSteps = 0;
  for (const { request, output } of t.calls) {
    expect(request.messages, `call of step ${request.step}`).toEqual(transcript.slice(0, request.messages.length));
    expect(request.step).toBeGreaterThanOrEqual(seenSteps);
    seenSteps = request.step;
    if (output) expect(transcript.slice(request.messages.length, request.messages.length + output.length)).toEqual(output);
  }
  // the calls of one step all saw the same messages: a failover changes the model, not the conversation
  const byStep = new Map<number, readonly Message[]>();
  for (const { request } of t.calls) {
    const first = byStep.get(request.step);
    if (first) expect(request.messages).toEqual(first);
    else byStep.set(request.step, request.messages);
  }
  expect(byStep.size).toBeLessThanOrEqual(world.maxSteps);
}

export async function agentLoop(world: AgentWorld, run = runAgentWorld): Promise<void> {
  checkAgentLoop(world, await run(world));
}
