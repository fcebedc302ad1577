import { readFileSync } from 'node:fs';
import type { ErrorPayload } from '../../../src/providers/emulator/index.js';

/** One entry of test/fixtures/error-payloads.json. */
export interface FixturePayload extends ErrorPayload {
  id: string;
  provider: string;
  headers: Record<string, string>;
  reason: string;
  scope: string;
  source: string;
}

// Only tests read the fixtures, so the library never depends on them at run time.
const FIXTURES_URL = new URL('../../fixtures/error-payloads.json', import.meta.url);

let cache: FixturePayload[] | undefined;

export function allFixtures(): FixturePayload[] {
  // Entries with no HTTP response (status null) cannot be served by the emulator.
  cache ??= (JSON.parse(readFileSync(FIXTURES_URL, 'utf8')) as Array<Omit<FixturePayload, 'status'> & { status: number | null }>).filter(
    (f): f is FixturePayload => f.status !== null,
  );
  return cache;
}

export function fixture(id: string): FixturePayload {
  const found = allFixtures().find((f) => f.id === id);
  if (!found) throw new Error(`no fixture "${id}" in error-payloads.json`);
  return found;
}
