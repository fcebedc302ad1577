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
      body: JSON.stringify({ model: req.model, messages: req.messages, ...(req.onDelta ? { stream: true } : {}) }),
      signal: req.signal,
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    if (!res.ok) throw { status: res.status, headers, body: await res.text() };
    if (req.onDelta && res.body) return { content: await readSse(res.body, req.onDelta, req.onActivity) };
    const body = await res.text();
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

/**
 * The text of an OpenAI-style SSE stream, each delta passed on as it comes. A stream that ends
 * without a finish reason was cut: that is an error, never a short answer.
 */
async function readSse(body: ReadableStream<Uint8Array>, onDelta: (text: string) => void, onActivity?: () => void): Promise<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let finished = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return text;
      const choice = (JSON.parse(data) as { choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[] }).choices?.[0];
      onActivity?.();
      if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') {
        text += choice.delta.content;
        onDelta(choice.delta.content);
      }
      if (typeof choice?.finish_reason === 'string') finished = true;
    }
  }
  if (!finished) throw { status: 502, headers: {}, body: 'the stream ended mid-answer' };
  return text;
}
