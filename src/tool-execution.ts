import type { EngineCommand, ExecuteToolsInput, ExecuteToolsOutput } from '../machines/run-types.js';
import { scrubSecrets } from './classify/scrub-secrets.js';
import { toJsonValue } from './config/json-value.js';
import { isLlmFailoverError, ToolAbortError } from './errors.js';
import type { ToolCallPart, ToolResultOutput, ToolResultPart } from './message-types.js';
import type { Logger, RunClock } from './runtime.js';
import type { AgentTool } from './tool-types.js';

export interface ToolRunnerContext {
  runId: string;
  sessionId: string;
  tools: ReadonlyMap<string, AgentTool>;
  clock: RunClock;
  logger: Logger | undefined;
  send: (command: EngineCommand) => void;
}

/** What the model sees of an error: one line, no secrets, bounded. */
const MAX_ERROR = 2_000;
const errorText = (message: string): ToolResultOutput => ({ type: 'error-text', value: scrubSecrets(message).slice(0, MAX_ERROR) });

/** A tool's failure as the model should read it; the tool's own message when it has one. */
function describeThrow(err: unknown): string {
  try {
    if (err instanceof Error) return err.message || err.name;
    return typeof err === 'string' ? err : String(err);
  } catch {
    return 'the tool threw something that cannot be printed';
  }
}

/** A string is text; anything else is JSON (`undefined` becomes null, as the AI SDK does). */
function toOutput(value: unknown, toolName: string): ToolResultOutput {
  if (typeof value === 'string') return { type: 'text', value };
  try {
    return { type: 'json', value: toJsonValue(value ?? null, 'result') };
  } catch (err) {
    // the host's tool returned something a session cannot keep (a Date, a class): its bug, shown as such
    return errorText(`tool ${toolName} returned a value that is not JSON (${describeThrow(err)})`);
  }
}

/** Read without trusting what was thrown (a Proxy whose traps throw included). */
function isToolAbort(err: unknown): boolean {
  try {
    return isLlmFailoverError(err) && err.code === 'TOOL_ABORTED';
  } catch {
    return false;
  }
}

type Validated = { ok: true; input: unknown } | { ok: false; message: string };

/** The model's input checked as the tool asks: an object for an object schema, and the schema's own `validate` if it has one. */
async function validateInput(tool: AgentTool, call: ToolCallPart): Promise<Validated> {
  const schema = tool.inputSchema as { type?: unknown; jsonSchema?: unknown; validate?: (v: unknown) => unknown };
  const json = (typeof schema.jsonSchema === 'object' && schema.jsonSchema !== null ? schema.jsonSchema : schema) as { type?: unknown };
  const isObject = typeof call.input === 'object' && call.input !== null && !Array.isArray(call.input);
  if (json.type === 'object' && !isObject) {
    const given = typeof call.input === 'string' ? `text that is not a JSON object: ${call.input.slice(0, 200)}` : JSON.stringify(call.input);
    return { ok: false, message: `invalid input for tool ${call.toolName}: expected a JSON object, got ${given}` };
  }
  if (typeof schema.validate !== 'function') return { ok: true, input: call.input };
  const verdict = (await schema.validate(call.input)) as { success?: unknown; value?: unknown; error?: unknown } | undefined;
  if (verdict?.success === true) return { ok: true, input: verdict.value };
  return { ok: false, message: `invalid input for tool ${call.toolName}: ${describeThrow(verdict?.error ?? 'refused by its schema')}` };
}

/**
 * Executes the tool calls of one step, all at once (as the AI SDK does), and answers with one
 * tool message holding a result per call, in call order. A tool that throws, an unknown tool
 * and an input its schema refuses are results the model sees (`error-text`), not failures of
 * the run; only a ToolAbortError ends the run (the promise rejects with it). Each call is
 * announced to the machine (`tool.started`, `tool.finished`). `signal` aborts when the run
 * stops: it is the tools' `abortSignal`.
 */
export function createToolRunner(c: ToolRunnerContext) {
  const runOne = async (call: ToolCallPart, input: ExecuteToolsInput, signal: AbortSignal): Promise<ToolResultPart> => {
    const startedAt = c.clock.now();
    const { toolCallId, toolName } = call;
    // once the run has left the step (stopped, or another tool aborted it), nothing more is announced
    const announce = (command: EngineCommand) => {
      if (!signal.aborted) c.send(command);
    };
    const finish = (output: ToolResultOutput): ToolResultPart => {
      const error = output.type === 'error-text' ? output.value : undefined;
      announce({ type: 'tool.finished', at: c.clock.now(), step: input.step, toolCallId, toolName, outcome: error === undefined ? 'ok' : 'error', durationMs: c.clock.now() - startedAt, ...(error !== undefined && { error }) });
      return { type: 'tool-result', toolCallId, toolName, output };
    };
    announce({ type: 'tool.started', at: startedAt, step: input.step, toolCallId, toolName });
    const tool = c.tools.get(toolName);
    if (!tool || typeof tool.execute !== 'function') {
      return finish(errorText(`there is no tool named ${JSON.stringify(toolName)}; the tools are ${[...c.tools.keys()].join(', ')}`));
    }
    try {
      const checked = await validateInput(tool, call);
      if (!checked.ok) return finish(errorText(checked.message));
      const value = await tool.execute(checked.input, {
        toolCallId,
        messages: input.messages,
        abortSignal: signal,
        runId: c.runId,
        sessionId: c.sessionId,
        step: input.step,
      });
      return finish(toOutput(value, toolName));
    } catch (err) {
      if (isToolAbort(err)) {
        if (err instanceof ToolAbortError) err.toolCallId ??= toolCallId;
        throw err;
      }
      c.logger?.debug({ err, toolName, toolCallId }, `tool ${toolName} threw; the model gets the error`);
      return finish(errorText(describeThrow(err)));
    }
  };

  return async (input: ExecuteToolsInput, signal: AbortSignal): Promise<ExecuteToolsOutput> => {
    const startedAt = c.clock.now();
    const results = await Promise.all(input.calls.map((call) => runOne(call, input, signal)));
    // the run was stopped meanwhile: nothing of this batch may reach the run
    signal.throwIfAborted();
    return { message: { role: 'tool', content: results }, at: c.clock.now(), durationMs: c.clock.now() - startedAt };
  };
}
