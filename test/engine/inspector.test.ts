import { createWebSocketInspector } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

interface InspectionMessage {
  type: string;
  sessionId: string;
  event?: { type: string };
  snapshot?: { value?: unknown; status?: string; context?: Record<string, unknown> };
}

/** A local WebSocket server standing in for the Stately inspector: it collects what the inspector sends. */
async function localInspectorServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const messages: InspectionMessage[] = [];
  wss.on('connection', (socket) => socket.on('message', (data) => messages.push(JSON.parse(String(data)) as InspectionMessage)));
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => wss.close(resolve)) };
}

// The registration message (@xstate.actor) already shows the final state: wait for the snapshot.
const sawSnapshot = (messages: InspectionMessage[], value: string) => messages.some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === value);

/** The inspector converts events on a timer and sends once its socket is open: wait for the last one. */
async function until(messages: InspectionMessage[], value: string) {
  for (let i = 0; i < 200 && !sawSnapshot(messages, value); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the Stately inspector from Node', () => {
  it("createWebSocketInspector().inspect shows the run's states by name: opening → attempting → lockedPersist → succeeded", async () => {
    // The server first: an inspector with nothing to connect to retries every 5 s and never lets the process exit.
    const server = await localInspectorServer();
    const inspector = createWebSocketInspector({ url: server.url });
    try {
      const actor = createRunActor({
        sessionId: 's',
        messages: [{ role: 'user', content: 'hi' }],
        chain: ['a/m'],
        call: scriptedCall().call,
        store: openSqliteStore(),
        inspect: inspector.inspect,
      });
      actor.start();
      const out = await toPromise(actor);
      expect(out.status).toBe('succeeded');
      await until(server.messages, 'succeeded');
      const root = server.messages.find((m) => m.type === '@xstate.actor')!.sessionId;
      const states = server.messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === root).map((m) => m.snapshot!.value);
      expect(states).toEqual(['opening', 'attempting', 'lockedPersist', 'succeeded']);
      // the context travels too (no key in it: profiles are ids)
      const last = server.messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === root).at(-1)!;
      expect(last.snapshot!.context).toMatchObject({ run: { runId: out.runId, sessionId: 's' } });
    } finally {
      inspector.stop();
      await server.close();
    }
  });

  it('shows a failover as it happens: the failed call, then the next candidate', async () => {
    const server = await localInspectorServer();
    const inspector = createWebSocketInspector({ url: server.url });
    try {
      const actor = createRunActor({
        sessionId: 's',
        messages: [{ role: 'user', content: 'hi' }],
        chain: ['a/m', 'b/m'],
        call: scriptedCall({ a: [httpError(503, 'overloaded')] }).call,
        store: openSqliteStore(),
        inspect: inspector.inspect,
        policy: { maxAttemptsPerCandidate: 1 },
      });
      actor.start();
      await toPromise(actor);
      await until(server.messages, 'succeeded');
      const root = server.messages.find((m) => m.type === '@xstate.actor')!.sessionId;
      const snapshots = server.messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === root);
      expect(snapshots.map((m) => m.snapshot!.value)).toEqual(['opening', 'attempting', 'attempting', 'lockedPersist', 'succeeded']);
      // the second `attempting` came from the failed call's answer: the engine passed through escalatingModel in one step
      expect(snapshots[2]!.event!.type).toBe('callProvider.done');
    } finally {
      inspector.stop();
      await server.close();
    }
  });

  it('the serialize option of docs/inspecting.md keeps the conversation out of what the inspector sends', async () => {
    const server = await localInspectorServer();
    // as in docs/inspecting.md: message text travels in `content`, `text` (deltas) and `reply`
    const hideText = (key: string, value: unknown) => (['content', 'text', 'reply'].includes(key) && typeof value === 'string' ? '…' : value);
    const inspector = createWebSocketInspector({ url: server.url, serialize: (event) => JSON.parse(JSON.stringify(event, hideText)) });
    try {
      const actor = createRunActor({
        sessionId: 's',
        messages: [{ role: 'user', content: 'my secret plans' }],
        chain: ['a/m'],
        call: async () => ({ content: 'the secret answer' }),
        store: openSqliteStore(),
        inspect: inspector.inspect,
      });
      actor.start();
      await toPromise(actor);
      await until(server.messages, 'succeeded');
      expect(sawSnapshot(server.messages, 'succeeded')).toBe(true);
      const sent = JSON.stringify(server.messages);
      expect(sent).not.toContain('my secret plans');
      expect(sent).not.toContain('the secret answer');
    } finally {
      inspector.stop();
      await server.close();
    }
  });
});
