import { ConfigError } from '../../errors.js';
import type { Scenario, ScenarioRequest, ScenarioRule, Step } from './types.js';

const MALFORMED_KINDS: readonly unknown[] = ['non-json', 'truncated', 'html', 'empty'];

/** The default answer: naming provider and model lets a test see who served a run. */
const defaultFallback = (req: ScenarioRequest): Step => ({
  reply: `Reply from ${req.provider}/${req.model ?? 'unknown-model'}.`,
});

/**
 * Turns a scenario into "which step answers this request". Steps are checked here, once,
 * because scenarios may come from a JSON file (the CLI demo) where types do not reach.
 */
export function createStepPicker(
  scenario: Scenario | undefined,
  fallback: Step | ((req: ScenarioRequest) => Step) | undefined,
): (req: ScenarioRequest) => Step {
  const fallbackStep = typeof fallback === 'function' ? fallback : fallback ? constant(checkStep(fallback, 'fallback')) : defaultFallback;
  if (typeof scenario === 'function') return (req) => checkStep(scenario(req), `scenario(#${req.seq})`);

  const rules = (scenario ?? []).map((rule, i) => checkRule(rule, `scenario[${i}]`));
  const positions = rules.map(() => 0);
  return (req) => {
    const index = rules.findIndex((rule) => matches(rule, req));
    const rule = rules[index];
    if (!rule) return fallbackStep(req);
    const position = positions[index] ?? 0;
    positions[index] = position + 1;
    // Past the end the last step repeats: "key 1 is out of quota" stays true without
    // the test having to guess how many calls the engine will make.
    return rule.steps[Math.min(position, rule.steps.length - 1)] as Step;
  };
}

function matches(rule: ScenarioRule, req: ScenarioRequest): boolean {
  return (
    (rule.provider === undefined || rule.provider === req.provider) &&
    (rule.model === undefined || rule.model === req.model) &&
    (rule.keyId === undefined || rule.keyId === req.keyId) &&
    (rule.from === undefined || req.at >= rule.from) &&
    (rule.until === undefined || req.at < rule.until)
  );
}

const constant = (step: Step) => () => step;

function checkRule(rule: ScenarioRule, path: string): ScenarioRule {
  if (typeof rule !== 'object' || rule === null) throw new ConfigError(path, 'must be an object');
  if (!Array.isArray(rule.steps) || rule.steps.length === 0) throw new ConfigError(`${path}.steps`, 'must be a non-empty array');
  for (const key of ['from', 'until'] as const) {
    const v = rule[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) throw new ConfigError(`${path}.${key}`, 'must be a finite number (a time on the emulator clock)');
  }
  if (rule.from !== undefined && rule.until !== undefined && rule.until <= rule.from) throw new ConfigError(`${path}.until`, 'must be after from');
  rule.steps.forEach((step, i) => checkStep(step, `${path}.steps[${i}]`));
  return rule;
}

function checkStep(step: Step, path: string): Step {
  if (typeof step !== 'object' || step === null) throw new ConfigError(path, 'must be an object');
  const s = step as unknown as Record<string, unknown>;
  for (const key of ['latencyMs', 'deltaDelayMs', 'firstTokenDelayMs'] as const) {
    const v = s[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ConfigError(`${path}.${key}`, 'must be a finite number >= 0');
  }
  for (const key of ['dropAfterDeltas', 'stallAfterDeltas', 'malformedChunkAfterDeltas'] as const) {
    const v = s[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) throw new ConfigError(`${path}.${key}`, 'must be an integer >= 0');
  }
  const kinds = STEP_KINDS.filter((kind) => kind in s && !(kind === 'reply' && ('dropAfterDeltas' in s || 'stallAfterDeltas' in s || 'toolCalls' in s)));
  if (kinds.length !== 1) throw new ConfigError(path, `must have exactly one of ${STEP_KINDS.join(', ')}${kinds.length > 1 ? ` (found ${kinds.join(', ')})` : ''}`);
  if ('hang' in s && s.hang !== true) throw new ConfigError(`${path}.hang`, 'must be true');
  if ('reset' in s && s.reset !== true) throw new ConfigError(`${path}.reset`, 'must be true');
  if ('blocked' in s) {
    if (s.blocked !== true) throw new ConfigError(`${path}.blocked`, 'must be true');
    if (s.blockReason !== undefined && (typeof s.blockReason !== 'string' || s.blockReason === '')) throw new ConfigError(`${path}.blockReason`, 'must be a non-empty string');
  }
  if ('error' in s) {
    const e = s.error as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || !Number.isInteger(e.status) || typeof e.body !== 'string') {
      throw new ConfigError(`${path}.error`, 'must be { status, headers?, body: string } (load fixtures by id in the test, not here)');
    }
    if ((e.status as number) < 100 || (e.status as number) > 599) throw new ConfigError(`${path}.error.status`, 'must be an HTTP status 100-599');
  }
  if ('malformed' in s) {
    if (!MALFORMED_KINDS.includes(s.malformed)) throw new ConfigError(`${path}.malformed`, `must be one of ${MALFORMED_KINDS.join(', ')}`);
    if (s.status !== undefined && !(Number.isInteger(s.status) && (s.status as number) >= 100 && (s.status as number) <= 599)) {
      throw new ConfigError(`${path}.status`, 'must be an HTTP status 100-599');
    }
  }
  if ('reply' in s && !(typeof s.reply === 'string' || (Array.isArray(s.reply) && s.reply.every((d) => typeof d === 'string')))) {
    throw new ConfigError(`${path}.reply`, 'must be a string or an array of strings');
  }
  if (s.responseModel !== undefined && (typeof s.responseModel !== 'string' || s.responseModel === '')) {
    throw new ConfigError(`${path}.responseModel`, 'must be a non-empty string');
  }
  if (s.noSentinel !== undefined && typeof s.noSentinel !== 'boolean') throw new ConfigError(`${path}.noSentinel`, 'must be a boolean');
  if ('toolCalls' in s) checkToolCalls(s.toolCalls, `${path}.toolCalls`);
  return step;
}

function checkToolCalls(calls: unknown, path: string): void {
  if (!Array.isArray(calls) || calls.length === 0) throw new ConfigError(path, 'must be a non-empty array of { name, input, id? }');
  calls.forEach((c: unknown, i) => {
    const call = c as Record<string, unknown> | null;
    if (typeof call !== 'object' || call === null || typeof call.name !== 'string' || call.name === '') throw new ConfigError(`${path}[${i}].name`, 'must be a non-empty string');
    if (typeof call.input !== 'object' || call.input === null || Array.isArray(call.input)) throw new ConfigError(`${path}[${i}].input`, 'must be an object (the call’s arguments)');
    if (call.id !== undefined && (typeof call.id !== 'string' || call.id === '')) throw new ConfigError(`${path}[${i}].id`, 'must be a non-empty string');
  });
}

/** The keys that say what a step is; `reply` is also allowed on drop, stall and tool-call steps, as their text. */
const STEP_KINDS = ['hang', 'reset', 'error', 'malformed', 'blocked', 'dropAfterDeltas', 'stallAfterDeltas', 'toolCalls', 'reply'] as const;
