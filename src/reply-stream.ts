import { isStreamingRun, type RunActor } from './create-run-actor.js';
import { ConfigError } from './errors.js';

export type ReplyChunk = { type: 'delta'; text: string; attempt: number } | { type: 'reset'; attempt: number };

/**
 * The reply of a streaming run (`stream: true`) as an async iterable: `delta` chunks as the
 * provider sends them, and a `reset` when a stream broke after deltas and the run restarted on
 * another candidate (drop the text shown so far). Ends when the run ends, whatever its status;
 * read `await toPromise(actor)` for the outcome. Call it before `actor.start()` to miss nothing.
 * Throws ConfigError for a run created without `stream: true`, or one that has already ended:
 * either would yield nothing.
 */
export function streamReply(actor: RunActor): AsyncIterable<ReplyChunk> {
  if (!isStreamingRun(actor)) {
    throw new ConfigError('stream', 'streamReply() needs a run created with `stream: true` (without it the provider is never asked for deltas)');
  }
  const status = actor.getSnapshot().status;
  if (status !== 'active') {
    throw new ConfigError('actor', `streamReply() needs a run that has not ended (this one is ${status}): call it before actor.start()`);
  }
  const queue: ReplyChunk[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  const push = (chunk?: ReplyChunk) => {
    if (chunk) queue.push(chunk);
    wake?.();
    wake = undefined;
  };
  const subs = [
    actor.on('reply.delta', (e) => push({ type: 'delta', text: e.text, attempt: e.attempt })),
    actor.on('reply.reset', (e) => push({ type: 'reset', attempt: e.attempt })),
    actor.subscribe({
      complete: () => {
        done = true;
        push();
      },
      error: () => {
        done = true;
        push();
      },
    }),
  ];
  return {
    async *[Symbol.asyncIterator]() {
      try {
        while (true) {
          const next = queue.shift();
          if (next) yield next;
          else if (done) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        for (const s of subs) s.unsubscribe();
      }
    },
  };
}
