import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { copyOf } from '../../machines/step-action.js';
import type { RunContext } from '../../machines/run-types.js';
import { httpError, scriptedCall, type Outcome } from '../helpers/scripted-call.js';

// A step copies the context as one literal of every field it can have (copyOf, machines/step-action.ts):
// one allocation, one shape. Object.assign into `{}` grew the copy field by field, and from 20 fields
// on V8 built it as a dictionary (about 7 µs per assignment instead of 0.5, Node 20). A step that
// assigned a field copyOf does not list would bring both back: every context a run goes through after
// its first step must have exactly copyOf's fields, in its order.

const OVERLOADED = httpError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
const QUOTA = httpError(429, { error: { type: 'insufficient_quota', message: 'You exceeded your current quota' } });
const ALL_FIELDS = Object.keys(copyOf({} as RunContext));

async function contextsOf(scripts: Record<string, Outcome[]>, chain: string[]): Promise<{ status: string; keys: string[][] }> {
  const store = openSqliteStore();
  const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, call: scriptedCall(scripts).call, store });
  const keys: string[][] = [];
  actor.subscribe((snap) => keys.push(Object.keys(snap.context)));
  const out = await toPromise(actor.start());
  await store.close();
  return { status: out.status, keys };
}

describe('the run machine context', () => {
  const paths: [string, Record<string, Outcome[]>, string[], string][] = [
    ['a success at once', {}, ['a/m'], 'succeeded'],
    ['a failure then success on the next candidate', { a: [OVERLOADED] }, ['a/m', 'b/m'], 'succeeded'],
    ['a run that fails: every candidate out of quota', { a: [QUOTA], b: [QUOTA] }, ['a/m', 'b/m'], 'failed'],
  ];
  it.each(paths)('is copied as one literal of every field: %s', async (_, scripts, chain, status) => {
    const run = await contextsOf(scripts, chain);
    expect(run.status).toBe(status);
    expect(ALL_FIELDS).toHaveLength(22);
    // the first snapshot holds the machine's initial context; every later one a copy
    expect(run.keys.length).toBeGreaterThan(2);
    for (const keys of run.keys.slice(1)) expect(keys).toEqual(ALL_FIELDS);
  });
});
