import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { lockServer, type ServerLock } from './server-lock.js';
import type {} from './availability.js';

/**
 * A describe block that runs against PostgreSQL when the run has one (see availability.ts):
 * skipped when PostgreSQL is absent and not required, one failing test when it is required
 * (CI=true or LLM_FAILOVER_PG_URL set) but unreachable. `exclusive`: no other PostgreSQL suite
 * runs meanwhile (the restart test).
 */
export function describePostgres(title: string, body: (url: string) => void, { exclusive = false } = {}): void {
  const availability = inject('postgres');
  if (availability === undefined) throw new Error('test/postgres/global-setup.ts is not in vitest.config.ts globalSetup');
  if ('url' in availability) {
    describe(title, () => {
      // a suite that restarts the server runs alone (see server-lock.ts)
      let lock: ServerLock | undefined;
      beforeAll(async () => {
        lock = await lockServer(availability.url, exclusive ? 'exclusive' : 'shared');
      });
      afterAll(() => lock?.release());
      body(availability.url);
    });
  }
  else if ('failure' in availability) {
    describe(title, () => {
      it('needs PostgreSQL', () => {
        throw new Error(availability.failure);
      });
    });
  } else {
    // no server and none required: the suite shows as skipped (the run printed why, once)
    describe.skipIf(true)(title, () => undefined);
  }
}
