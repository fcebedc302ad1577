import type { CallFn, CallRequest, Message } from '../../src/index.js';

/** One scripted model answer of an agent run: text, tool calls, or a failure. */
export type AgentOutcome =
  | { text: string }
  | { tools: { name: string; input: unknown; id?: string }[]; text?: string }
  | { throw: unknown }
  | { hang: true };

export const text = (t: string): AgentOutcome => ({ text: t });
export const toolCalls = (...calls: { name: string; input: unknown; id?: string }[]): AgentOutcome => ({ tools: calls });
export const failure = (status: number, body: unknown): AgentOutcome => ({ throw: { status, headers: {}, body } });

/**
 * A `call` that answers like a model in a tool loop: per "provider/model" (or "provider") a
 * script of outcomes in call order, the last one repeating. Tool calls get ids `call_<n>`
 * numbered over the whole script unless given. Records every request.
 */
export function agentCall(scripts: Record<string, AgentOutcome[]>) {
  const requests: CallRequest[] = [];
  const used = new Map<string, number>();
  let ids = 0;
  const call: CallFn = async (req) => {
    requests.push(req);
    const key = [`${req.provider}/${req.model}`, req.provider].find((k) => scripts[k]);
    if (!key) throw new Error(`no script for ${req.provider}/${req.model}`);
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const script = scripts[key]!;
    const outcome = script[Math.min(n, script.length - 1)]!;
    if ('hang' in outcome) {
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }));
    }
    if ('throw' in outcome) throw outcome.throw;
    if ('tools' in outcome) {
      const message: Message = {
        role: 'assistant',
        content: [
          ...(outcome.text ? [{ type: 'text' as const, text: outcome.text }] : []),
          ...outcome.tools.map((t) => ({ type: 'tool-call' as const, toolCallId: t.id ?? `call_${++ids}`, toolName: t.name, input: t.input })),
        ],
      };
      return { messages: [message], finishReason: 'tool-calls', usage: { inputTokens: 10, outputTokens: 5 } };
    }
    return { content: outcome.text, finishReason: 'stop' };
  };
  return { call, requests, served: () => requests.map((r) => `${r.provider}/${r.model}@step${r.step}`) };
}
