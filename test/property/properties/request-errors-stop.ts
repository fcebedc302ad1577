import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { runWorld, type Trace } from '../harness/run-world.js';
import { deliveredFailures } from '../harness/trace-facts.js';

export const REQUEST_ERRORS_STOP = 'request errors stop: an aborted, a request-scoped bad_request or any non-retryable request-scoped failure ends the run with no further call';

// Request errors are rarer than other failures in the default worlds; here they are the point.
export const requestErrorWorlds = worldArb({ reasons: ['bad_request', 'aborted', 'rate_limit', 'timeout', 'server_error', 'quota_exhausted', 'context_overflow'] });

export function checkRequestErrorsStop(_world: World, trace: Trace): void {
  const stop = deliveredFailures(trace.calls).find(
    ({ pinned: p }) => (p.reason === 'bad_request' && p.scope === 'request') || p.reason === 'aborted' || (p.scope === 'request' && !p.retryable),
  );
  if (!stop) return;
  expect(trace.calls.length, `call ${stop.index + 1} failed with ${stop.pinned.reason}/${stop.pinned.scope}; later calls were made`).toBe(stop.index + 1);
  expect(trace.endedAt, 'the run waited after a request error').toBe(stop.at);
  expect(trace.output?.status).toBe('failed');
  const code = trace.output?.status === 'failed' ? (trace.output.error as { code?: string }).code : undefined;
  expect(code).toBe(stop.pinned.reason === 'aborted' ? 'RUN_ABORTED' : 'REQUEST_REJECTED');
}

export async function requestErrorsStop(world: World, run = runWorld): Promise<void> {
  checkRequestErrorsStop(world, await run(world));
}
