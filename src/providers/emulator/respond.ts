import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { corruptEvent, malformedResponse, type RawResponse } from './malformed-body.js';
import type { AnswerShape, EmulatedToolCall, RecordedOutcome, ReplyText, Step } from './types.js';
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
  if ('reset' in step) {
    ctx.onOutcome('reset');
    ctx.onDrop();
    // An RST, not a FIN: the client sees ECONNRESET, as behind a proxy whose upstream died.
    ctx.res.socket?.resetAndDestroy();
    ctx.res.destroy();
    return;
  }
  if ('error' in step) {
    ctx.onOutcome('error');
    return sendRaw({ status: step.error.status, headers: payloadHeaders(step.error.headers, step.error.body), body: step.error.body }, ctx);
  }
  if ('malformed' in step) {
    ctx.onOutcome('malformed');
    return sendRaw(malformedResponse(step.malformed, step.status, ctx.format, ctx.stream, ctx.reply), ctx);
  }
  if ('blocked' in step) {
    ctx.onOutcome('blocked');
    const body = ctx.format.blocked(ctx.reply, step.blockReason ?? 'SAFETY');
    const contentType = ctx.stream ? 'text/event-stream' : 'application/json';
    return sendRaw({ status: 200, headers: { 'content-type': contentType }, body: ctx.stream ? body.stream : body.json }, ctx);
  }
  const answer = { ...ctx, reply: { ...ctx.reply, model: step.responseModel ?? ctx.reply.model } };
  let ending: Ending;
  let reply: ReplyText;
  let toolCalls: readonly EmulatedToolCall[] = [];
  if ('dropAfterDeltas' in step) {
    ctx.onOutcome('dropped');
    ending = { kind: 'drop', afterDeltas: step.dropAfterDeltas };
    reply = step.reply ?? 'This reply never finishes because the connection drops.';
  } else if ('stallAfterDeltas' in step) {
    ctx.onOutcome('stalled');
    ending = { kind: 'stall', afterDeltas: step.stallAfterDeltas };
    reply = step.reply ?? 'This reply stops halfway and the connection stays open.';
  } else if ('toolCalls' in step) {
    ctx.onOutcome('reply');
    ending = { kind: 'finish', sentinel: true };
    reply = step.reply ?? '';
    toolCalls = step.toolCalls;
  } else {
    ctx.onOutcome('reply');
    ending = { kind: 'finish', sentinel: step.noSentinel !== true };
    reply = step.reply;
  }
  const deltas = toDeltas(reply);
  return ctx.stream ? streamAnswer(deltas, step, ending, answer, toolCalls) : jsonAnswer(deltas.join(''), step, ending, answer, toolCalls);
}

/** How an answer that started ends: finished (with or without its end marker), cut, or stalled. */
type Ending = { kind: 'finish'; sentinel: boolean } | { kind: 'drop' | 'stall'; afterDeltas: number };

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

async function streamAnswer(deltas: string[], shape: AnswerShape, ending: Ending, ctx: RespondContext, toolCalls: readonly EmulatedToolCall[]): Promise<void> {
  const { res } = ctx;
  const writer = ctx.format.streamWriter(ctx.reply, toolCalls);
  ctx.onStatus(200);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...BASE_HEADERS });
  // Headers go out now, not with the first delta: a slow first token must look like a live
  // connection that is silent, which is what a first-token timeout is for.
  res.flushHeaders();
  await writeAll(res, writer.start());
  await wait(shape.firstTokenDelayMs, ctx);

  const count = ending.kind === 'finish' ? deltas.length : Math.min(ending.afterDeltas, deltas.length);
  for (let sent = 0; sent < count; sent++) {
    if (sent > 0) await wait(shape.deltaDelayMs, ctx);
    await writeAll(res, malformedChunkAt(sent, deltas, shape, ctx) + writer.delta(deltas[sent] as string));
  }
  const last = malformedChunkAt(count, deltas, shape, ctx);
  if (ending.kind === 'finish') return void res.end(last + writer.end({ sentinel: ending.sentinel }));
  await writeAll(res, last);
  if (ending.kind === 'drop') drop(ctx);
  // A stall sends nothing more and keeps the connection: the client's abort or close() ends it.
}

/** The corrupted event to put before delta number `sent`, if the step asks for one there. */
function malformedChunkAt(sent: number, deltas: string[], shape: AnswerShape, ctx: RespondContext): string {
  if (shape.malformedChunkAfterDeltas !== sent) return '';
  // A throwaway writer, so the corrupted copy does not count in the answer's usage.
  return corruptEvent(ctx.format.streamWriter(ctx.reply).delta(deltas[sent] ?? ' '));
}

/** A JSON answer: at once, cut halfway (what a proxy restart looks like), or stalled halfway. */
async function jsonAnswer(text: string, shape: AnswerShape, ending: Ending, ctx: RespondContext, toolCalls: readonly EmulatedToolCall[]): Promise<void> {
  await wait(shape.firstTokenDelayMs, ctx);
  const body = ctx.format.replyJson(text, ctx.reply, toolCalls);
  if (ending.kind === 'finish') return sendRaw({ status: 200, headers: { 'content-type': 'application/json' }, body }, ctx);
  const bytes = Buffer.from(body, 'utf8');
  ctx.onStatus(200);
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...BASE_HEADERS, 'content-length': String(bytes.length) });
  await writeAll(ctx.res, bytes.subarray(0, Math.floor(bytes.length / 2)));
  if (ending.kind === 'drop') drop(ctx);
}

/**
 * Closes the socket mid-answer (a FIN). With `Connection: close` and no length, undici takes
 * that for the end of the body, so the client sees a stream that simply stops: only the
 * missing finish tells it apart from a complete answer, which is the case worth testing.
 */
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
