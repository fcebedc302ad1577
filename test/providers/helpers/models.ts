import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { Emulator } from '../../../src/providers/emulator/index.js';
import type { CallRequest } from '../../../src/types.js';

/** An OpenAI-compatible AI SDK model pointed at the emulator's `/<provider>/v1`. */
export function openAiCompatibleModel(emu: Emulator, provider: string, model: string, apiKey = 'sk-emu-test') {
  return createOpenAICompatible({ name: provider, baseURL: emu.baseUrl(provider), apiKey })(model);
}

/** An Anthropic AI SDK model pointed at the emulator's `/<provider>/v1`. */
export function anthropicModel(emu: Emulator, provider: string, model: string, apiKey = 'sk-ant-emu-test') {
  return createAnthropic({ baseURL: emu.baseUrl(provider), apiKey })(model);
}

/** A CallRequest as the engine would hand it over, with overridable parts. */
export function callRequest(overrides: Partial<CallRequest> = {}): CallRequest {
  return {
    runId: 'run-1',
    sessionId: 'session-1',
    provider: 'deepseek',
    model: 'deepseek-v4-pro',
    profileId: 'deepseek:main',
    messages: [{ role: 'user', content: 'Say hello.' }],
    signal: new AbortController().signal,
    attempt: 1,
    ...overrides,
  };
}

/** Polls a condition on the event loop a bounded number of times; fails rather than waits forever. */
export async function until(condition: () => boolean, what: string, maxTicks = 500): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition never became true: ${what}`);
}
