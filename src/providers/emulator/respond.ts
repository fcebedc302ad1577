import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { malformedResponse, type RawResponse } from './malformed-body.js';
import type { RecordedOutcome, ReplyText, Step } from './types.js';
import type { ReplyContext, WireFormat } from './wire-format.js';

export interface RespondContext {
  res: ServerResponse;
  format: WireFormat;
  stream: boolean;
  reply: ReplyContext;
  /** Aborted when the client goes away, so no timer outlives its connection. */
  clientGone: AbortSignal;
  /** Called once the step is known and again when the status goes out. */
  onOutcome(outcome: RecordedOutcome): void;
  onStatus(status: number): void;
  /** Marks that the emulator itself cut the connection. */
  onDrop(): void;
}

// Every response closes its connection, so openConnections() counts exchanges that are in
// flight or leaked, never idle keep-alive sockets that the client pool would hold anyway.
const BASE_HEADERS = { connection: 'close' } as const;

/**
 * Plays one scenario step on a response. Resolves when done; an abort by the client ends it
 * early and quietly (the record says `client_closed`).
 */
export async function respond(step: Step, ctx: RespondContext): Promise<void> {
  try {
    await play(step, ctx);
  } catch (err) {
    if (ctx.clientGone.aborted) return;
    throw err;
  }
}

async function play(step: Step, ctx: RespondContext): Promise<void> {
  if ('hang' in step) {
    ctx.onOutcome('hang');
    return; // never a byte: the client's timeout or abort is what ends this exchange
  }
  await wait(step.latencyMs, ctx);
  if ('error' in step) {
    ctx.onOutcome('error');
    return sendRaw({ status: step.error.status, headers: payloadHeaders(step.error.headers, step.error.body), body: step.error.body }, ctx);
  }
  if ('malformed' in step) {
    ctx.onOutcome('malformed');
    return sendRaw(malformedResponse(step.malformed, step.status, ctx.format, ctx.stream, ctx.reply), ctx);
  }
  if ('dropAfterDeltas' in step) {
    ctx.onOutcome('dropped');
    const deltas = toDeltas(step.reply ?? 'This reply never finishes because the connection drops.');
    return ctx.stream ? streamReply(deltas, ctx, step.deltaDelayMs, step.dropAfterDeltas) : dropJson(deltas.join(''), ctx);
  }
  ctx.onOutcome('reply');
  const deltas = toDeltas(step.reply);
  if (ctx.stream) return streamReply(deltas, ctx, step.deltaDelayMs);
  return sendRaw({ status: 200, headers: { 'content-type': 'application/json' }, body: ctx.format.replyJson(deltas.join(''), ctx.reply) }, ctx);
}

/** Word-sized deltas, spaces kept, so a joined stream equals the text. */
export function toDeltas(reply: ReplyText): string[] {
  if (typeof reply !== 'string') return [...reply];
  return reply.match(/\S+\s*|\s+/g) ?? [];
}

function sendRaw(raw: RawResponse, ctx: RespondContext): void {
  const body = Buffer.from(raw.body, 'utf8');
  ctx.onStatus(raw.status);
  ctx.res.writeHead(raw.status, { ...raw.headers, ...BASE_HEADERS, 'content-length': String(body.length) });
  ctx.res.end(body);
}

async function streamReply(deltas: string[], ctx: RespondContext, delayMs: number | undefined, dropAfter?: number): Promise<void> {
  const { res } = ctx;
  const writer = ctx.format.streamWriter(ctx.reply);
  ctx.onStatus(200);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...BASE_HEADERS });
  let pending = writer.start();
  for (const [i, delta] of deltas.entries()) {
    if (dropAfter !== undefined && i >= dropAfter) break;
    if (i > 0) {
      await writeAll(res, pending);
      pending = '';
      await wait(delayMs, ctx);
    }
    pending += writer.delta(delta);
  }
  if (dropAfter !== undefined) {
    await writeAll(res, pending);
    return drop(ctx);
  }
  res.end(pending + writer.end());
}

/** Headers and half the body, then the socket dies: what a proxy restart looks like. */
async function dropJson(text: string, ctx: RespondContext): Promise<void> {
  const body = Buffer.from(ctx.format.replyJson(text, ctx.reply), 'utf8');
  ctx.onStatus(200);
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...BASE_HEADERS, 'content-length': String(body.length) });
  await writeAll(ctx.res, body.subarray(0, Math.floor(body.length / 2)));
  drop(ctx);
}

function drop(ctx: RespondContext): void {
  ctx.onDrop();
  ctx.res.socket?.destroy();
  ctx.res.destroy();
}

/** Resolves once the bytes reached the socket, so a drop right after cannot swallow them. */
function writeAll(res: ServerResponse, chunk: string | Buffer): Promise<void> {
  if (chunk.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    res.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

async function wait(ms: number | undefined, ctx: RespondContext): Promise<void> {
  if (!ms) return;
  await sleep(ms, undefined, { signal: ctx.clientGone });
}

/**
 * Payload headers as given, minus those that describe the transfer (we frame the body
 * ourselves), and a content type when the payload names none.
 */
function payloadHeaders(headers: Readonly<Record<string, string>> | undefined, body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    out[lower] = value;
  }
  out['content-type'] ??= looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
  return out;
}

function looksLikeJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
