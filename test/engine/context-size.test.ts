import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { httpError, scriptedCall, type Outcome } from '../helpers/scripted-call.js';

// XState copies the context with Object.assign on every assignment, and V8 builds a copy of 20
// fields or more as a dictionary: about 7 µs per assignment instead of 0.5 (Node 20). Every path
// but an orphaned reply must end with fewer than 20 fields (machines/run-types.ts).

const OVERLOADED = httpError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
const QUOTA = httpError(429, { error: { type: 'insufficient_quota', message: 'You exceeded your current quota' } });

async function fieldsAtEnd(scripts: Record<string, Outcome[]>, chain: string[]): Promise<{ status: string; fields: number }> {
  const store = openSqliteStore();
  const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, call: scriptedCall(scripts).call, store });
  const out = await toPromise(actor.start());
  const fields = Object.keys(actor.getSnapshot().context).length;
  await store.close();
  return { status: out.status, fields };
}

describe('the run machine context', () => {
  const paths: [string, Record<string, Outcome[]>, string[], string][] = [
    ['a success at once', {}, ['a/m'], 'succeeded'],
    ['a failure then success on the next candidate', { a: [OVERLOADED] }, ['a/m', 'b/m'], 'succeeded'],
    ['a run that fails: every candidate out of quota', { a: [QUOTA], b: [QUOTA] }, ['a/m', 'b/m'], 'failed'],
  ];
  it.each(paths)('stays under 20 fields: %s', async (_, scripts, chain, status) => {
    const end = await fieldsAtEnd(scripts, chain);
    expect(end.status).toBe(status);
    expect(end.fields).toBeLessThan(20);
  });
});
