import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { respond } from './respond.js';
import { matchRoute, ROUTES_HELP } from './route.js';
import { createStepPicker } from './scenario.js';
import type { Emulator, EmulatorOptions, RecordedRequest } from './types.js';
import { approxTokens } from './wire-format.js';

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Starts a fake LLM provider on 127.0.0.1 that speaks OpenAI chat completions under
 * `/<provider>/v1/chat/completions`, Anthropic messages under `/<provider>/v1/messages` and
 * Gemini under `/<provider>/v1/models/<model>:generateContent` (`:streamGenerateContent`),
 * answers each request with the next step of its scenario, and records every request so a
 * test counts calls at the server rather than trusting the code under test.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const pickStep = createStepPicker(options.scenario, options.fallback);
  const keyIds = new Map(Object.entries(options.keys ?? {}));
  const records: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  // Sockets that carried a request. HTTP client pools also open spare connections that never
  // carry one (undici does after an aborted request) and close them on their own idle timer:
  // those are the client's business, not a leaked exchange, so openConnections() skips them.
  const exchangeSockets = new Set<Socket>();
  const idleWaiters = new Set<() => void>();
  let seq = 0;
  // Exchanges that close() cuts (a stall, a hang) were ended by the server, not the client.
  let shuttingDown = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    exchangeSockets.add(req.socket);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = matchRoute(url.pathname);
    if (req.method !== 'POST' || !route) {
      res.writeHead(404, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: ROUTES_HELP } }));
      return;
    }
    const { provider, format } = route;
    const raw = await readBody(req);
    const body = parseObject(raw);
    const parsed = body ? format.read(body) : undefined;
    const apiKey = format.apiKey(req.headers, url);
    const keyId = apiKey === undefined ? undefined : keyIds.get(apiKey);

    const record: RecordedRequest = {
      seq: ++seq,
      provider,
      api: format.api,
      model: route.model ?? parsed?.model,
      keyId,
      stream: route.stream ?? parsed?.stream ?? false,
      prompt: parsed?.prompt ?? [],
      body: body ?? raw,
      outcome: 'reply',
      status: undefined,
      end: 'pending',
      receivedAt: now(),
      endedAt: undefined,
    };
    records.push(record);

    const clientGone = new AbortController();
    let dropped = false;
    res.on('close', () => {
      record.end = res.writableFinished ? 'completed' : dropped || shuttingDown ? 'server_dropped' : 'client_closed';
      record.endedAt = now();
      if (!res.writableFinished) clientGone.abort();
    });

    const refuse = (outcome: 'unauthorized' | 'invalid_request', answer: { status: number; body: string }) => {
      record.outcome = outcome;
      record.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(answer.body);
    };
    if (!body) return refuse('invalid_request', format.invalidRequest('The request body is not a JSON object.'));
    if (options.keys && keyId === undefined) return refuse('unauthorized', format.unauthorized());

    const step = pickStep({ provider, model: record.model, keyId, api: format.api, stream: record.stream, seq: record.seq, at: record.receivedAt });
    await respond(step, {
      res,
      format,
      stream: record.stream,
      reply: {
        seq: record.seq,
        model: record.model ?? 'unknown-model',
        created: Math.floor(record.receivedAt / 1000),
        promptTokens: approxTokens(record.prompt.map((m) => m.text).join('\n')),
        streamUsage: parsed?.streamUsage ?? false,
      },
      clientGone: clientGone.signal,
      onOutcome: (outcome) => void (record.outcome = outcome),
      onStatus: (status) => void (record.status = status),
      onDrop: () => void (dropped = true),
    });
  };

  const server = createServer((req, res) => {
    // Whatever goes wrong in one exchange ends that exchange only, never the process.
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      exchangeSockets.delete(socket);
      if (exchangeSockets.size === 0) for (const wake of idleWaiters) wake();
    });
  });
  // A client error (bad HTTP, reset mid-request) must not become an uncaught server error.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${HOST}:${port}`;
  let closing: Promise<void> | undefined;

  const waitForNoConnections = (timeoutMs = 5000) =>
    new Promise<void>((resolve, reject) => {
      if (exchangeSockets.size === 0) return resolve();
      const timer = setTimeout(() => {
        idleWaiters.delete(wake);
        reject(new Error(`emulator: ${exchangeSockets.size} connection(s) still open after ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        idleWaiters.delete(wake);
        resolve();
      };
      idleWaiters.add(wake);
    });

  const close = async () => {
    shuttingDown = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    // Sockets report 'close' a tick after destroy(): wait for it, so a caller that checks
    // openConnections() or openSockets() right after close() sees 0.
    const closed = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await Promise.all([stopped, ...closed]);
  };

  return {
    url,
    port,
    baseUrl: (provider) => `${url}/${encodeURIComponent(provider)}/v1`,
    // copies: a test that edits what it got must not change the log (bodies are JSON, so a clone is exact)
    requests: () => records.map((r) => ({ ...r, prompt: r.prompt.map((m) => ({ ...m })), body: structuredClone(r.body) })),
    openConnections: () => exchangeSockets.size,
    openSockets: () => sockets.size,
    waitForNoConnections,
    close: () => (closing ??= close()),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
