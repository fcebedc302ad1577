import type { TestProject } from 'vitest/node';
import { probePostgres } from './availability.js';

/** Probes PostgreSQL once for the whole run, so a skip is one printed line, not one per suite. */
export default async function setup(project: TestProject): Promise<void> {
  const availability = await probePostgres();
  if ('skip' in availability) console.log(availability.skip);
  project.provide('postgres', availability);
}
