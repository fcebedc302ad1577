import type { MalformedKind } from './types.js';
import type { ReplyContext, WireFormat } from './wire-format.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Envoy's answer when the upstream died before headers: a real non-JSON body seen at providers.
const PROXY_TEXT = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

const PROXY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const SAMPLE_REPLY = 'This reply is cut short.';

/**
 * A broken body in the shape the request expected: on a streaming request the breakage is in
 * the stream (a non-JSON data line; a stream that stops mid-event with no finish), so the
 * client's stream parser is what meets it, as in production.
 */
export function malformedResponse(kind: MalformedKind, status: number | undefined, format: WireFormat, stream: boolean, ctx: ReplyContext): RawResponse {
  const okType = stream ? 'text/event-stream' : 'application/json';
  switch (kind) {
    case 'html':
      return { status: status ?? 502, headers: { 'content-type': 'text/html' }, body: PROXY_HTML };
    case 'empty':
      return { status: status ?? 200, headers: { 'content-type': okType }, body: '' };
    case 'non-json':
      return stream
        ? { status: status ?? 200, headers: { 'content-type': okType }, body: `data: ${PROXY_TEXT}\n\n` }
        : { status: status ?? 200, headers: { 'content-type': 'text/plain' }, body: PROXY_TEXT };
    case 'truncated': {
      if (!stream) {
        const full = format.replyJson(SAMPLE_REPLY, ctx);
        return { status: status ?? 200, headers: { 'content-type': okType }, body: full.slice(0, Math.floor(full.length / 2)) };
      }
      const writer = format.streamWriter(ctx);
      const cut = writer.delta('short.');
      return {
        status: status ?? 200,
        headers: { 'content-type': okType },
        body: writer.start() + writer.delta('This reply is cut ') + cut.slice(0, Math.floor(cut.length / 2)),
      };
    }
  }
}

/**
 * One SSE event with its JSON cut in half but its framing intact, so the client's SSE parser
 * hands the broken data to its JSON parser and the events after it still arrive.
 */
export function corruptEvent(event: string): string {
  const dataAt = event.lastIndexOf('data: ');
  if (dataAt < 0) return 'data: {\n\n';
  const start = dataAt + 'data: '.length;
  const json = event.slice(start).trimEnd();
  return `${event.slice(0, start)}${json.slice(0, Math.max(1, Math.floor(json.length / 2)))}\n\n`;
}
