import { SimulatedClock } from 'xstate';
import type { AgentWorld } from '../../arbitraries/agent-worlds.js';
import { createRunActor, openSqliteStore, ToolAbortError, type AgentTool, type Message, type RunOutput } from '../../../src/index.js';
import type { Classification } from '../../../src/classify/types.js';
import type { CallFn, CallRequest } from '../../../src/types.js';
import type { RaceStore } from './run-race.js';
import { driveToEnd } from './sim-driver.js';

/** One call the world's model received, and what it answered when it served the step. */
export interface AgentCall {
  request: CallRequest;
  /** The messages it resolved with; undefined for a call that failed or was cut. */
  output?: Message[];
}

export interface AgentTrace {
  calls: AgentCall[];
  /** Tool executions per tool call id. */
  executions: Map<string, number>;
  output: RunOutput | undefined;
  hung: boolean;
  prior: Message[];
  user: Message;
  turnsBefore: Message[];
  turnsAfter: Message[];
}

const stripTurn = ({ seq: _seq, runId: _runId, ...m }: { seq: number; runId: string } & Message): Message => m as Message;

/** The world's model: each step's scripted failures in order, then its answer; tool call ids name the step. */
function worldModel(world: AgentWorld, clock: SimulatedClock, calls: AgentCall[], tags: WeakMap<object, Classification>): CallFn {
  const attemptsOfStep = new Map<number, number>();
  return (request) => {
    const record: AgentCall = { request };
    calls.push(record);
    const n = attemptsOfStep.get(request.step) ?? 0;
    attemptsOfStep.set(request.step, n + 1);
    const script = world.steps[request.step - 1];
    const failure = script && n < script.failures.length ? script.failures[n]! : undefined;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (request.signal.aborted) return onAbort();
      request.signal.addEventListener('abort', onAbort, { once: true });
      if (failure?.kind === 'hang') return;
      clock.setTimeout(() => {
        request.signal.removeEventListener('abort', onAbort);
        if (failure) {
          const thrown = { status: 500, headers: {}, body: failure.failure.message };
          tags.set(thrown, failure.failure);
          return reject(thrown);
        }
        const answer = script?.answer ?? { kind: 'text' as const };
        const output: Message[] =
          answer.kind === 'text'
            ? [{ role: 'assistant', content: `answer of step ${request.step}` }]
            : [
                {
                  role: 'assistant',
                  content: answer.calls.map((c, i) => ({ type: 'tool-call' as const, toolCallId: `s${request.step}-${i}`, toolName: c.tool, input: { arg: c.arg } })),
                },
              ];
        record.output = output;
        resolve({ messages: output as never });
      }, 1);
    });
  };
}

function worldTools(executions: Map<string, number>): Record<string, AgentTool> {
  const count = (id: string) => executions.set(id, (executions.get(id) ?? 0) + 1);
  const schema = { type: 'object', properties: { arg: { type: 'number' } } };
  return {
    echo: { inputSchema: schema, execute: (input: { arg: number }, ctx) => (count(ctx.toolCallId), { echoed: input.arg }) },
    flaky: {
      inputSchema: schema,
      execute: (_input: unknown, ctx) => {
        count(ctx.toolCallId);
        throw new Error('flaky tool failed');
      },
    },
    client: { inputSchema: schema },
    stop: {
      inputSchema: schema,
      execute: (_input: unknown, ctx) => {
        count(ctx.toolCallId);
        throw new ToolAbortError('stop', 'the world says stop');
      },
    },
  };
}

/**
 * Runs an agent world through createRunActor on a fresh store (in-memory SQLite unless
 * `openStore`, as runWorld's) and a simulated clock.
 */
export async function runAgentWorld(world: AgentWorld, o: { openStore?: () => RaceStore } = {}): Promise<AgentTrace> {
  const store: RaceStore = o.openStore ? o.openStore() : openSqliteStore();
  const sessionId = 'agent-session';
  try {
    const prior: Message[] = Array.from({ length: world.prior }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `prior ${i}` }));
    if (prior.length > 0) {
      const { lease } = await store.openRun({ runId: 'seed', sessionId, now: 0, leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
      await store.commitRun(lease, { runId: 'seed', messages: prior.slice(0, -1), reply: prior.at(-1)!, servedBy: { provider: 's', model: 's', profileId: 's' }, attempts: [], now: 0 });
    }
    const turnsBefore = (await store.listTurns(sessionId)).map(stripTurn);
    const clock = new SimulatedClock();
    const calls: AgentCall[] = [];
    const executions = new Map<string, number>();
    const tags = new WeakMap<object, Classification>();
    const user: Message = { role: 'user', content: 'do the task' };
    const actor = createRunActor({
      sessionId,
      runId: 'agent-run',
      messages: [user],
      chain: world.chain.map((c) => `${c.provider}/m`),
      profiles: Object.fromEntries(world.chain.map((c) => [c.provider, c.profiles])),
      call: worldModel(world, clock, calls, tags),
      classify: (err) => (typeof err === 'object' && err !== null ? tags.get(err) : undefined),
      store,
      clock,
      tools: worldTools(executions),
      maxSteps: world.maxSteps,
      policy: { maxAttemptsPerCandidate: world.maxAttemptsPerCandidate, attemptTimeoutMs: 1_000, backoffBaseMs: 10, maxRetryWaitMs: 1_000, deadlineMs: 3_600_000 },
    });
    actor.start();
    const { hung } = await driveToEnd(actor, clock, 3_600_000 + 2_000, () => calls.length > 500, undefined, store.busy);
    const output = actor.getSnapshot().output;
    if (hung) actor.stop();
    return { calls, executions, output, hung, prior, user, turnsBefore, turnsAfter: (await store.listTurns(sessionId)).map(stripTurn) };
  } finally {
    await store.close();
  }
}
