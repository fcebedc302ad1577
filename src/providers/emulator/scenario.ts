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
    (rule.keyId === undefined || rule.keyId === req.keyId)
  );
}

const constant = (step: Step) => () => step;

function checkRule(rule: ScenarioRule, path: string): ScenarioRule {
  if (typeof rule !== 'object' || rule === null) throw new ConfigError(path, 'must be an object');
  if (!Array.isArray(rule.steps) || rule.steps.length === 0) throw new ConfigError(`${path}.steps`, 'must be a non-empty array');
  rule.steps.forEach((step, i) => checkStep(step, `${path}.steps[${i}]`));
  return rule;
}

function checkStep(step: Step, path: string): Step {
  if (typeof step !== 'object' || step === null) throw new ConfigError(path, 'must be an object');
  const s = step as unknown as Record<string, unknown>;
  for (const key of ['latencyMs', 'deltaDelayMs'] as const) {
    const v = s[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ConfigError(`${path}.${key}`, 'must be a finite number >= 0');
  }
  if ('hang' in s) {
    if (s.hang !== true) throw new ConfigError(`${path}.hang`, 'must be true');
  } else if ('error' in s) {
    const e = s.error as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || !Number.isInteger(e.status) || typeof e.body !== 'string') {
      throw new ConfigError(`${path}.error`, 'must be { status, headers?, body: string } (load fixtures by id in the test, not here)');
    }
    if ((e.status as number) < 100 || (e.status as number) > 599) throw new ConfigError(`${path}.error.status`, 'must be an HTTP status 100-599');
  } else if ('malformed' in s) {
    if (!MALFORMED_KINDS.includes(s.malformed)) throw new ConfigError(`${path}.malformed`, `must be one of ${MALFORMED_KINDS.join(', ')}`);
    if (s.status !== undefined && !(Number.isInteger(s.status) && (s.status as number) >= 100 && (s.status as number) <= 599)) {
      throw new ConfigError(`${path}.status`, 'must be an HTTP status 100-599');
    }
  } else if ('dropAfterDeltas' in s) {
    if (!Number.isInteger(s.dropAfterDeltas) || (s.dropAfterDeltas as number) < 0) throw new ConfigError(`${path}.dropAfterDeltas`, 'must be an integer >= 0');
  } else if (!('reply' in s)) {
    throw new ConfigError(path, 'must have one of reply, error, hang, dropAfterDeltas, malformed');
  }
  if ('reply' in s && !(typeof s.reply === 'string' || (Array.isArray(s.reply) && s.reply.every((d) => typeof d === 'string')))) {
    throw new ConfigError(`${path}.reply`, 'must be a string or an array of strings');
  }
  return step;
}
