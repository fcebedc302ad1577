import { describe, inject, it } from 'vitest';
import type {} from './availability.js';

/**
 * A describe block that runs against PostgreSQL when the run has one (see availability.ts):
 * skipped when PostgreSQL is absent and not required, one failing test when it is required
 * (CI=true or LLM_FAILOVER_PG_URL set) but unreachable.
 */
export function describePostgres(title: string, body: (url: string) => void): void {
  const availability = inject('postgres');
  if (availability === undefined) throw new Error('test/postgres/global-setup.ts is not in vitest.config.ts globalSetup');
  if ('url' in availability) describe(title, () => body(availability.url));
  else if ('failure' in availability) {
    describe(title, () => {
      it('needs PostgreSQL', () => {
        throw new Error(availability.failure);
      });
    });
  } else describe.skip(title, () => undefined);
}
