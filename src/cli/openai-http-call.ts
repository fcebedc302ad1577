import type { CallFn } from '../types.js';

/**
 * A minimal OpenAI-compatible chat-completions client, enough for the demo to speak real HTTP
 * without an SDK: non-2xx answers are thrown as `{ status, headers, body }` for the classifier,
 * and there are no retries (the run owns them).
 */
export function openAiHttpCall(baseUrlOf: (provider: string) => string, keyOf: (profileId: string) => string): CallFn {
  return async (req) => {
    const res = await fetch(`${baseUrlOf(req.provider)}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keyOf(req.profileId)}` },
      body: JSON.stringify({ model: req.model, messages: req.messages }),
      signal: req.signal,
    });
    const body = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    if (!res.ok) throw { status: res.status, headers, body };
    let content: unknown;
    try {
      content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
    } catch {
      content = undefined;
    }
    // A 200 that is not a reply is the provider's fault: say so with the body, as an HTTP error would.
    if (typeof content !== 'string') throw { status: 502, headers, body: `not a chat completion: ${body.slice(0, 200)}` };
    return { content };
  };
}
