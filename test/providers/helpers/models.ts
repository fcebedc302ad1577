import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { Emulator } from '../../../src/providers/emulator/index.js';
import type { CallRequest } from '../../../src/types.js';

/**
 * An OpenAI-compatible AI SDK model pointed at the emulator's `/<provider>/v1`. `includeUsage`
 * is what a host sets to get usage from streams; off by default, as in the SDK.
 */
export function openAiCompatibleModel(emu: Emulator, provider: string, model: string, apiKey = 'sk-emu-test', includeUsage = false) {
  return createOpenAICompatible({ name: provider, baseURL: emu.baseUrl(provider), apiKey, includeUsage })(model);
}

/** A Gemini AI SDK model (@ai-sdk/google) pointed at the emulator's `/<provider>/v1`. */
export function googleModel(emu: Emulator, provider: string, model: string, apiKey = 'gemini-emu-test') {
  return createGoogleGenerativeAI({ baseURL: emu.baseUrl(provider), apiKey })(model);
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
    step: 1,
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
