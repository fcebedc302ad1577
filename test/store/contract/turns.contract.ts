import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/types.js';
import { commitArgs, failArgs, openArgs } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

/** An agent's turn as a run stores it: parts of every kind, provider options on the message and on parts. */
export const AGENT_TURNS: Message[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in the picture, and the weather?' },
      { type: 'image', image: 'https://example.com/cat.png', mediaType: 'image/png' },
    ],
    providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
  },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Call the tool.', providerOptions: { anthropic: { signature: 'sig' } } },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris', days: [1, 2], nested: { ok: true, none: null } } },
    ],
  },
  {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { type: 'json', value: { temp: 21.5 } } }],
  },
];

const strip = ({ seq: _seq, runId: _runId, ...m }: { seq: number; runId: string } & Message): Message => m as Message;

/**
 * Messages with parts: what every store must keep exactly (a text message stays plain text,
 * parts and provider options come back as they were given, whoever reads them).
 */
export function turnsContract(factory: StoreFactory): void {
  describe(`${factory.name}: messages with parts`, () => {
    const stores = useStores(factory);

    it('a text message reads back as { seq, role, content, runId } and nothing else', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      await store.commitRun(lease, commitArgs('r1'));
      const turns = await store.listTurns('s1');
      expect(turns).toEqual([
        { seq: 1, role: 'user', content: 'question of r1', runId: 'r1' },
        { seq: 2, role: 'assistant', content: 'answer to r1', runId: 'r1' },
      ]);
      expect(Object.keys(turns[0]!).sort()).toEqual(['content', 'role', 'runId', 'seq']);
    });

    it('parts and provider options round-trip exactly: listTurns, getSession, the next run’s history, another connection', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const reply: Message = { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }], providerOptions: { openai: { itemId: 'msg_1' } } };
      const { turns } = await store.commitRun(lease, commitArgs('r1', { messages: AGENT_TURNS, reply }));
      const want = [...AGENT_TURNS, reply];
      expect(turns.map(strip)).toEqual(want);
      expect((await store.listTurns('s1')).map(strip)).toEqual(want);
      expect((await store.getSession('s1'))!.turns.map(strip)).toEqual(want);
      const next = await store.openRun(openArgs('r2', 's1', { now: 3_000 }));
      expect(next.history.map(strip)).toEqual(want);
      if (next.messages) expect(next.messages).toEqual(want);
      const other = await stores.connect(store);
      expect((await other.listTurns('s1')).map(strip)).toEqual(want);
    });

    it('text a text column could not hold exactly (a lone surrogate, NUL) round-trips inside parts', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const odd = 'half \uD83D, NUL [\u0000], pair 😀';
      const reply: Message = { role: 'assistant', content: [{ type: 'text', text: odd }] };
      const outcome = await store.commitRun(lease, commitArgs('r1', { reply })).then(
        () => 'stored',
        (e: unknown) => e,
      );
      // a store may refuse what it cannot keep exactly, with a ConfigError; it may never alter it
      if (outcome === 'stored') expect((await store.listTurns('s1')).at(-1)?.content).toEqual(reply.content);
      else expect(outcome).toMatchObject({ code: 'CONFIG_INVALID' });
    });

    it('a repeated commit answers the same turns, parts included', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const args = commitArgs('r1', { messages: AGENT_TURNS });
      const first = await store.commitRun(lease, args);
      const again = await store.commitRun(lease, args);
      expect(again.turns).toEqual(first.turns);
      expect(await store.listTurns('s1')).toHaveLength(AGENT_TURNS.length + 1);
    });

    it('an orphan keeps a reply with parts, and the steps before it', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const uncommitted = { messages: AGENT_TURNS.slice(0, 2), reply: AGENT_TURNS[2]!, servedBy: commitArgs('r1').servedBy };
      await store.failRun(lease, failArgs('r1', 's1', { errorCode: 'FALLBACK_EXHAUSTED', uncommitted }));
      const [orphan] = await store.listOrphans();
      expect(orphan).toMatchObject({ runId: 'r1', messages: AGENT_TURNS.slice(0, 2), reply: AGENT_TURNS[2] });
      expect(await store.listTurns('s1')).toEqual([]);
    });
  });
}
