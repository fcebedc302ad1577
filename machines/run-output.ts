import { candidateBlock } from '../src/policy/availability.js';
import {
  DeadlineExceededError,
  FallbackExhaustedError,
  RequestRejectedError,
  RunAbortedError,
  type CandidateReport,
  type RunError,
  type RunErrorCode,
  type StoreFailure,
} from '../src/run-errors.js';
import { isLlmFailoverError, LlmFailoverError, withoutFrames } from '../src/errors.js';
import { messageText, type AssistantMessage } from '../src/message-types.js';
import type { AttemptRecord } from '../src/types.js';
import type { RunContext, RunOutput } from './run-types.js';
import { iso } from './skip-report.js';

// Errors that reach a run from its lease, its store or the host's `call`, passed on as they are.
const PASSED_ON: ReadonlySet<string> = new Set<RunErrorCode>([
  'CONFIG_INVALID',
  'LEASE_LOST',
  'SESSION_BUSY',
  'RUN_ABORTED',
  'TOOL_ABORTED',
  'STORE_SCHEMA_TOO_NEW',
  'STORE_CORRUPT',
  'STORE_BUSY',
  'STORE_CLOSED',
  'STORE_UNAVAILABLE',
  'STORE_FAILED',
]);

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The calls of one (provider, model) in the failed step: how many, and the last. */
interface CandidateCalls {
  count: number;
  last: AttemptRecord;
}

/**
 * The failed step's calls by provider and model, in one pass: filtering the attempts once per
 * candidate made the report of a long dead chain quadratic (chain × attempts).
 */
function callsByCandidate(ctx: RunContext): Map<string, Map<string, CandidateCalls>> {
  const byProvider = new Map<string, Map<string, CandidateCalls>>();
  // the records the error carries (made once for the run's end: stored, error, output)
  const attempts = ctx.attempts.toArray();
  // the step that failed: earlier steps were served
  for (let i = ctx.agent.stepStart; i < attempts.length; i++) {
    const a = attempts[i]!;
    let byModel = byProvider.get(a.provider);
    if (!byModel) byProvider.set(a.provider, (byModel = new Map()));
    const calls = byModel.get(a.model);
    if (calls) {
      calls.count++;
      calls.last = a;
    } else byModel.set(a.model, { count: 1, last: a });
  }
  return byProvider;
}

function candidateReports(ctx: RunContext): CandidateReport[] {
  const byProvider = callsByCandidate(ctx);
  return ctx.chain.map((c, i) => {
    const calls = byProvider.get(c.provider)?.get(c.model);
    const block = candidateBlock(ctx, i);
    const availableAt = block?.freeAt;
    // literals of each shape, `availableAt` where the spread of `{ availableAt }` put it: a spread
    // into a literal is copied the generic way, and a failed run reports every candidate
    if (calls) {
      const last = calls.last;
      const status = last.status !== undefined ? ` (${last.status})` : '';
      const reason = last.reason ?? 'unknown';
      const detail = `${calls.count} call(s), last ${last.reason}${status} on ${last.profileId}: ${last.message ?? ''}`.trim();
      return availableAt !== undefined
        ? { provider: c.provider, model: c.model, outcome: 'failed', reason, detail, availableAt }
        : { provider: c.provider, model: c.model, outcome: 'failed', reason, detail };
    }
    if (block) {
      const b = block.blocker;
      const why =
        b.kind === 'cooldown'
          ? `skipped, cooling down (${b.entry.reason})${Number.isFinite(b.entry.until) ? ` until ${iso(b.entry.until)}` : ''}`
          : b.kind === 'failed_in_run'
            ? `skipped, blocked by an earlier failure in this run (${b.block.reason})`
            : 'skipped, attempt budget spent';
      return availableAt !== undefined
        ? { provider: c.provider, model: c.model, outcome: 'skipped', reason: b.kind, availableAt, detail: why }
        : { provider: c.provider, model: c.model, outcome: 'skipped', reason: b.kind, detail: why };
    }
    return { provider: c.provider, model: c.model, outcome: 'not_reached', reason: 'not_reached', detail: 'not reached before the run ended' };
  });
}

/** The typed error a failed run ends with: always one of RunError, with a stable code. */
export function failureError(ctx: RunContext): RunError {
  if (ctx.error) return ctx.error as RunError;
  return withoutFrames(() => newFailureError(ctx));
}

function newFailureError(ctx: RunContext): RunError {
  const failure = ctx.failure ?? { kind: 'exhausted' as const };
  switch (failure.kind) {
    case 'rejected':
      return new RequestRejectedError(ctx.run.runId, failure.failure, ctx.attempts.toArray());
    case 'aborted':
      return new RunAbortedError(ctx.run.runId, ctx.attempts.toArray(), failure.detail === undefined ? undefined : `aborted by the caller: ${failure.detail}`);
    case 'error':
      // Library errors (lease lost, session busy, store, config) pass as they are; anything else
      // can only come from the store the host gave us, so it is named as a store failure.
      if (isLlmFailoverError(failure.error) && PASSED_ON.has(failure.error.code)) return failure.error as RunError;
      return new LlmFailoverError('STORE_FAILED', `Run ${ctx.run.runId} failed in its session store: ${describe(failure.error)}`, {
        cause: failure.error,
      }) as StoreFailure;
    case 'deadline':
    case 'exhausted': {
      const candidates = candidateReports(ctx);
      // a loop, not a list of one-element arrays (flatMap) and a spread of a conditional literal
      let soonest: number | undefined;
      for (const c of candidates) if (c.availableAt !== undefined && !(soonest! <= c.availableAt)) soonest = c.availableAt;
      const data: ConstructorParameters<typeof FallbackExhaustedError>[0] =
        soonest !== undefined ? { runId: ctx.run.runId, attempts: ctx.attempts.toArray(), candidates, soonestAvailableAt: soonest } : { runId: ctx.run.runId, attempts: ctx.attempts.toArray(), candidates };
      return failure.kind === 'deadline'
        ? new DeadlineExceededError({ ...data, deadlineMs: ctx.policy.deadlineMs })
        : new FallbackExhaustedError(data);
    }
  }
}

/** The run's last assistant message: every served step produced one. */
function finalReply(ctx: RunContext): AssistantMessage {
  const { produced } = ctx.agent;
  for (let i = produced.length - 1; i >= 0; i--) {
    const m = produced[i]!;
    if (m.role === 'assistant') return m;
  }
  return { role: 'assistant', content: '' };
}

export function buildOutput(ctx: RunContext): RunOutput {
  if (ctx.reply !== undefined && ctx.servedBy && !ctx.failure) {
    const reply = finalReply(ctx);
    const last = ctx.agent.steps.at(-1);
    // a step without usage, finish reason or response model: one literal (the spreads below are copied the generic way)
    if (!last?.usage && last?.finishReason === undefined && last?.responseModel === undefined) {
      return {
        runId: ctx.run.runId,
        status: 'succeeded',
        reply,
        text: messageText(reply),
        messages: ctx.agent.produced.slice(),
        steps: ctx.agent.steps.slice(),
        servedBy: ctx.servedBy,
        attempts: ctx.attempts.toArray(),
        decisions: ctx.decisions.toArray(),
      };
    }
    return {
      runId: ctx.run.runId,
      status: 'succeeded',
      reply,
      text: messageText(reply),
      messages: [...ctx.agent.produced],
      steps: [...ctx.agent.steps],
      servedBy: ctx.servedBy,
      ...(last?.usage && { usage: last.usage }),
      ...(last?.finishReason !== undefined && { finishReason: last.finishReason }),
      ...(last?.responseModel !== undefined && { responseModel: last.responseModel }),
      attempts: ctx.attempts.toArray(),
      decisions: ctx.decisions.toArray(),
    };
  }
  const error = failureError(ctx);
  // the provider answered (a step, or the whole run) but it is not in the session: the host still gets it
  if (ctx.reply !== undefined && ctx.servedBy) {
    error.reply = {
      messages: [...ctx.run.messages, ...ctx.agent.produced.slice(0, -1)],
      reply: ctx.reply,
      servedBy: ctx.servedBy,
      keptIn: ctx.replyKeptIn ?? 'output',
    };
  }
  return { runId: ctx.run.runId, status: 'failed', error, attempts: ctx.attempts.toArray().slice(), decisions: ctx.decisions.toArray() };
}
