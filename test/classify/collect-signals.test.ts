import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { classifyErrorUnmemoised } from '../../src/classify/classify-error.js';
import { collectSignals } from '../../src/classify/collect-signals.js';

// collectSignals reuses one walk (its queue, field and seen lists) from one failure to the next:
// what one failure leaves in it must change nothing for the next, a walk started inside a walk
// (a getter that classifies) must not disturb the outer one, and no thrown value may be kept.

const words = fc.constantFrom(
  'The usage limit has been reached', 'Overloaded', 'Please try again in 22 seconds.', 'HTTP 429 too many requests', 'Provider API error (503)',
  'Incorrect%20API%20key', '<html><title>502 Bad Gateway</title><body>nginx</body></html>', 'data: {"error":{"message":"boom","code":429}}\n\n',
  ':exception-type throttlingException\n', '429 {"error":{"message":"quoted","type":"rate_limit_exceeded"}}', '',
);
const text = fc.oneof(words, fc.string());
const key = fc.constantFrom(
  'status', 'statusCode', 'code', 'type', 'reason', 'finish_reason', 'quotaId', 'quota_limit_value', 'message', 'detail', 'msg', 'isRetryable',
  'headers', 'resets_in_seconds', 'retry_after_ms', 'retryDelay', 'resets_at', 'error', 'cause', 'errors', 'response', 'body', 'data', 'name', 'other',
);
const headers = fc.dictionary(fc.constantFrom('retry-after', 'x-amzn-errortype', 'x-should-retry', 'x-ratelimit-reset-requests', 'content-type'), fc.oneof(fc.constantFrom('20', 'true', 'ThrottlingException', '6m0s'), fc.string()), { maxKeys: 3 });
const leaf = fc.oneof(text, fc.integer({ min: 0, max: 700 }), fc.boolean(), fc.constant(null), headers);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('list'), tie('error'), tie('json')),
  object: fc.dictionary(key, tie('tree'), { maxKeys: 6 }),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  error: fc.tuple(text, fc.constantFrom('Error', 'RateLimitError', 'AbortError'), fc.dictionary(key, tie('tree'), { maxKeys: 4 })).map(([m, name, fields]) => Object.assign(new Error(m), { name }, fields)),
  json: tie('object').map((o) => JSON.stringify(o)),
}));
const thrown = fc.oneof(tree, fc.anything());

/** Signals as plain data (headers as entries), for deep comparison. */
const plain = (err: unknown) => {
  const s = collectSignals(err);
  return { ...s, headers: [...s.headers] };
};

describe('collectSignals reuses its walk', () => {
  test.prop([thrown, fc.array(thrown, { minLength: 1, maxLength: 4 })])('gives the same signals and classification whatever was classified before', (err, before) => {
    const first = plain(err);
    const classified = classifyErrorUnmemoised(err, { now: () => 0 });
    for (const other of before) collectSignals(other);
    expect(plain(err)).toStrictEqual(first);
    expect(classifyErrorUnmemoised(err, { now: () => 0 })).toStrictEqual(classified);
  });

  test.prop([text, thrown])('a getter that collects signals of another value disturbs neither walk', (message, inner) => {
    const innerAlone = plain(inner);
    const outerAlone = plain({ status: 429, message, error: { type: 'rate_limit_exceeded', message: `${message}!` } });
    let innerWithin: unknown;
    const outer = {
      status: 429,
      get message() {
        innerWithin = plain(inner);
        return message;
      },
      error: { type: 'rate_limit_exceeded', message: `${message}!` },
    };
    expect(plain(outer)).toStrictEqual(outerAlone);
    expect(innerWithin).toStrictEqual(innerAlone);
  });

  it('a graph whose queue outgrows the kept one is read like any other, and the next failure too', () => {
    const wide = { errors: Array.from({ length: 20 }, (_, i) => ({ errors: Array.from({ length: 20 }, (_, j) => ({ message: `m${i}-${j}`, code: `c${i}` })) })) };
    const small = { status: 503, message: 'Overloaded' };
    const smallAlone = plain(small);
    const s = collectSignals(wide);
    expect(s.texts.length).toBeGreaterThan(0);
    expect(s.codes.length).toBeGreaterThan(0);
    expect(plain(small)).toStrictEqual(smallAlone);
  });

  it('keeps nothing of a thrown value once its signals are collected', async () => {
    // a collection of this process's own (vitest does not start node with --expose-gc)
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const refs: Array<WeakRef<object>> = [];
    (() => {
      const body = { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } };
      const err = Object.assign(new Error('HTTP 429'), { status: 429, headers: { 'retry-after': '20' }, body, cause: [body.error] });
      refs.push(new WeakRef(err), new WeakRef(body), new WeakRef(body.error), new WeakRef(err.cause));
      collectSignals(err);
    })();
    // a WeakRef holds its target until the job that made it ends
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(refs.map((r) => r.deref())).toStrictEqual([undefined, undefined, undefined, undefined]);
  });
});
