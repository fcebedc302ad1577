import type { CallRequest, ToolChoice } from '../../types.js';
import type { AiSdkExtraCallOptions, AiSdkToolChoice } from './language-model.js';
import type { FromAiSdkOptions } from './from-ai-sdk.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `b` over `a`; their `providerOptions` merged per provider key, so a candidate adds to the common ones. */
function merge(a: AiSdkExtraCallOptions, b: AiSdkExtraCallOptions | undefined): AiSdkExtraCallOptions {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a, ...b };
  if (isObject(a.providerOptions) && isObject(b.providerOptions)) {
    const merged: Record<string, unknown> = { ...a.providerOptions };
    for (const [key, value] of Object.entries(b.providerOptions)) {
      merged[key] = isObject(merged[key]) && isObject(value) ? { ...(merged[key] as object), ...value } : value;
    }
    out.providerOptions = merged;
  }
  return out as AiSdkExtraCallOptions;
}

const toolChoiceFor = (choice: ToolChoice): AiSdkToolChoice => (typeof choice === 'string' ? { type: choice } : { type: 'tool', toolName: choice.toolName });

/**
 * The settings of one call: `callOptions`, then the provider's and the candidate's own, then
 * the run's tools and tool choice (the spec's shapes). Tools a host put in its options are used
 * only when the run has none.
 */
export function callOptionsFor(req: CallRequest, o: FromAiSdkOptions): AiSdkExtraCallOptions {
  const common = (typeof o.callOptions === 'function' ? o.callOptions(req) : o.callOptions) ?? {};
  const perCandidate = o.candidateOptions;
  let options = merge(merge(common, perCandidate?.[req.provider]), perCandidate?.[`${req.provider}/${req.model}`]);
  if (req.tools && req.tools.length > 0) {
    options = {
      ...options,
      tools: req.tools.map((t) => ({
        type: 'function',
        name: t.name,
        ...(t.description !== undefined && { description: t.description }),
        inputSchema: t.inputSchema,
        ...(t.providerOptions !== undefined && { providerOptions: t.providerOptions }),
      })),
    };
  }
  if (req.toolChoice !== undefined) options = { ...options, toolChoice: toolChoiceFor(req.toolChoice) };
  return options;
}
