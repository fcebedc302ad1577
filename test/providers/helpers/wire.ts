import type { Emulator } from '../../../src/providers/emulator/index.js';

/** A chat-completions request the way an OpenAI client sends it. */
export function chat(e: Emulator, provider: string, body: Record<string, unknown>, key = 'sk-any', init: RequestInit = {}) {
  return fetch(`${e.baseUrl(provider)}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
    ...init,
  });
}

/** A messages request the way an Anthropic client sends it. */
export function messages(e: Emulator, provider: string, body: Record<string, unknown>, key = 'sk-ant-any', init: RequestInit = {}) {
  return fetch(`${e.baseUrl(provider)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...body }),
    ...init,
  });
}

/** A generateContent (or, with `stream`, streamGenerateContent?alt=sse) request the way a Gemini client sends it. */
export function gemini(e: Emulator, provider: string, model: string, body: Record<string, unknown> = {}, options: { stream?: boolean; key?: string } = {}, init: RequestInit = {}) {
  const method = options.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return fetch(`${e.baseUrl(provider)}/models/${model}:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': options.key ?? 'gemini-any' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...body }),
    ...init,
  });
}

/** The `data:` payloads of an SSE body, in order (the event names dropped). */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.trim() !== '')
    .map((event) => event.split('\n').find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '');
}

/** Parses a JSON payload, or returns undefined when it is not JSON (a malformed chunk). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
