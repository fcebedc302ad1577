import * as library from '../../src/index.js';
import type { SessionStore } from '../../src/index.js';
import { leapingOffsets } from '../engine/clocks.js';
import { EngineRuns, type Scenario } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { PortFloorRuns } from '../floor/port-floor-runs.js';
import type { BenchCase } from '../harness/types.js';
import { engineContender, floorContender } from './contenders.js';
import { ONE_FAILURE, QUOTA_INCIDENT, SUCCESS } from './scenarios.js';
import { freshSessions } from './storage.js';

const URL_VARIABLE = 'LLM_FAILOVER_PG_URL';

/**
 * Opens the PostgreSQL store if this version has one. The one place that knows its opening
 * signature: adjust here when it differs.
 */
async function openPostgres(url: string): Promise<SessionStore | string> {
  const open = (library as Record<string, unknown>).openPostgresStore;
  if (typeof open !== 'function') return 'this version has no PostgreSQL store (openPostgresStore is not exported)';
  const store = (await open({ connectionString: url })) as SessionStore & { ready?: Promise<void> };
  await store.ready;
  return store;
}

function postgresCase(name: string, title: string, scenario: Scenario): BenchCase {
  return {
    name: `postgres/${name}`,
    title: `${title} (PostgreSQL; floor: the bare machine over the same store's port)`,
    async prepare() {
      const url = process.env[URL_VARIABLE];
      if (!url) return { skipped: `${URL_VARIABLE} is not set` };
      const opened = await openPostgres(url);
      if (typeof opened === 'string') return { skipped: opened };
      const store = opened;
      const plan = await floorPlanOf(scenario);
      const offsets = leapingOffsets();
      const floor = new PortFloorRuns(store, plan, scenario.leap ? () => Date.now() + offsets() : Date.now);
      // sessions of this process only: the database may be shared and outlive the run
      const prefix = `bench-${process.pid}-${Date.now()}-`;
      return {
        subject: { ...engineContender('engine', new EngineRuns(store, scenario), freshSessions(`${prefix}e`)), countsStatements: false },
        floor: { ...floorContender(floor, freshSessions(`${prefix}f`), undefined, 'floor (port)'), countsStatements: false },
        notes: ['the floor calls the store port, so the ratio is what the engine adds over its store'],
        close: () => store.close(),
      };
    },
  };
}

export const postgresCases = (): BenchCase[] => [
  postgresCase('success', 'the first candidate answers', SUCCESS),
  postgresCase('one-failure', 'the first candidate is overloaded, the next answers', ONE_FAILURE),
  postgresCase('quota-incident', 'the README incident as it first happens', QUOTA_INCIDENT),
];
