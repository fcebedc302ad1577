/**
 * The agent loop's steps, pure like run-steps.ts: what a served step adds to the run, which
 * tool calls the run answers, what their results add, and how the next step starts. A step is
 * one model call with the whole failover machinery behind it; what earlier steps produced (and
 * the tool results) is kept, so a failure in a later step fails over at that step and no tool
 * runs twice.
 */
import type { AttemptRecord, Message, ServedBy, StepRecord, ToolCallPart } from '../src/types.js';
import type { AgentState, ExecuteToolsInput, ExecuteToolsOutput, RunContext, Step, StepOutput, ToolFinishedCommand, ToolStartedCommand } from './run-types.js';
import { appended, flat } from './held-values.js';

export interface ToolCallsOfStep {
  /** Calls the run answers: of its executable tools, and of names it does not know (an error result). */
  run: ToolCallPart[];
  /** Calls of tools without `execute`: left for the host, so the run ends after this step. */
  host: ToolCallPart[];
}

/**
 * The tool calls in a step's output that still need a result: the assistant's calls that the
 * provider did not execute itself and that the output does not already answer (a `call` that
 * ran a tool itself returns its tool message too). A run without tools answers none.
 */
export function toolCallsOf(agent: Pick<AgentState, 'tools' | 'executableTools'>, messages: readonly Message[]): ToolCallsOfStep {
  const out: ToolCallsOfStep = { run: [], host: [] };
  if (agent.tools.length === 0) return out;
  const answered = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === 'string' || (m.role !== 'tool' && m.role !== 'assistant')) continue;
    for (const part of m.content) if (part.type === 'tool-result') answered.add(part.toolCallId);
  }
  for (const m of messages) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const part of m.content) {
      if (part.type !== 'tool-call' || part.providerExecuted === true || answered.has(part.toolCallId)) continue;
      const hostTool = agent.tools.includes(part.toolName) && !agent.executableTools.includes(part.toolName);
      (hostTool ? out.host : out.run).push(part);
    }
  }
  return out;
}

/** The messages of the last completed step's call (its tool results come after them). */
export function lastStepMessages(agent: Pick<AgentState, 'produced' | 'steps'>): readonly Message[] {
  const step = agent.steps.at(-1);
  if (!step) return [];
  // the step's messages, then possibly its tool message: find where the step began
  const end = agent.produced.length - (step.toolCalls > 0 ? 1 : 0);
  return agent.produced.slice(end - step.messages, end);
}

/** A served call: its output joins what the run produced, and the step is recorded. */
export function stepServed(ctx: RunContext, out: StepOutput, attempt: AttemptRecord, servedBy: ServedBy): Pick<RunContext, 'agent' | 'reply'> {
  const { agent } = ctx;
  // one literal, the optional fields added after it in the same order (spreads of conditional literals are copied the generic way)
  const record: StepRecord = { n: agent.steps.length + 1, servedBy, attempt: attempt.n, messages: out.messages.length, toolCalls: 0 };
  if (out.usage) record.usage = out.usage;
  if (out.finishReason !== undefined) record.finishReason = out.finishReason;
  if (out.responseModel !== undefined) record.responseModel = out.responseModel;
  return { agent: { ...agent, produced: agent.produced.concat(out.messages), steps: appended(agent.steps, record) }, reply: out.messages.at(-1) };
}

/** Guard of attempting's success: the step asked for tool calls the run answers. */
export function stepCallsTools(ctx: RunContext, out: StepOutput): boolean {
  return toolCallsOf(ctx.agent, out.messages).run.length > 0;
}

export function executeToolsInput(ctx: RunContext): ExecuteToolsInput {
  const { agent } = ctx;
  return {
    step: agent.steps.length,
    calls: toolCallsOf(agent, lastStepMessages(agent)).run,
    messages: ctx.history.concat(ctx.run.messages, agent.produced),
  };
}

/** How long the tools may run: what is left of the run's deadline. */
export function toolsDeadlineMs(ctx: RunContext): number {
  return Math.max(0, ctx.deadlineAt - ctx.now);
}

/** Guard after the tools ran: the step left nothing for the host and steps remain. */
export function anotherStep(ctx: RunContext): boolean {
  const { agent } = ctx;
  return agent.steps.length < agent.maxSteps && toolCallsOf(agent, lastStepMessages(agent)).host.length === 0;
}

/** The tool results join what the run produced, with a `tools` decision saying what happens next. */
export function toolsExecuted(ctx: RunContext, out: ExecuteToolsOutput): Step {
  const { agent } = ctx;
  const step = agent.steps.at(-1)!;
  const calls = typeof out.message.content === 'string' ? [] : out.message.content;
  const names = [...new Set(calls.map((c) => ('toolName' in c ? c.toolName : c.type)))].join(', ');
  const host = toolCallsOf(agent, lastStepMessages(agent)).host;
  const next =
    host.length > 0
      ? `; ${host.length} call(s) left for the host (${[...new Set(host.map((c) => c.toolName))].join(', ')}), so the run ends here`
      : agent.steps.length >= agent.maxSteps
        ? `; maxSteps (${agent.maxSteps}) reached, so the run ends here`
        : `; step ${agent.steps.length + 1} follows`;
  const detail = flat`step ${step.n}: executed ${calls.length} tool call(s) (${names}) in ${out.durationMs} ms${next}`;
  return {
    patch: {
      now: out.at,
      agent: { ...agent, produced: appended(agent.produced, out.message), steps: appended(agent.steps.slice(0, -1), { ...step, toolCalls: calls.length }) },
      reply: out.message,
      decisions: ctx.decisions.append({ kind: 'tools', at: out.at, reason: 'tool_calls', detail }),
    },
    events: [],
  };
}

/** The next step starts like a run: from the head of the chain, with the blocks this run learned kept. */
export function beginStep(ctx: RunContext): Step {
  return {
    // plan: undefined clears the last step's verdict, so no guard reads a stale one
    patch: { candidateIndex: -1, profileIndex: 0, agent: { ...ctx.agent, stepStart: ctx.attempts.length }, plan: undefined, probing: false },
    events: [],
  };
}

/** A tool call started or finished: announced as the run's event. */
export function toolEvent(ctx: RunContext, cmd: ToolStartedCommand | ToolFinishedCommand): Step {
  return { patch: {}, events: [{ ...cmd, runId: ctx.run.runId }] };
}
