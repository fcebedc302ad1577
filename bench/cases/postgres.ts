import pg from 'pg';
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

export const URL_VARIABLE = 'LLM_FAILOVER_PG_URL';

/**
 * Opens the PostgreSQL store if this version has one, in a schema of this process's own, one per
 * contender (the database may be shared and outlive the run, and the engine and the floor leap
 * their clocks apart: one's cooldowns would reach the other's runs), dropped again by `drop`. The one place that knows its
 * opening signature: adjust here when it differs.
 */
export async function openPostgres(url: string, label: string, options: Record<string, unknown> = {}): Promise<(SessionStore & { drop(): Promise<void> }) | string> {
  const open = (library as Record<string, unknown>).openPostgresStore;
  if (typeof open !== 'function') return 'this version has no PostgreSQL store (openPostgresStore is not exported)';
  const schema = `llmf_bench_${label}_${process.pid}_${Date.now().toString(36)}`;
  const store = (await open({ ...options, connectionString: url, schema })) as SessionStore & { ready?: Promise<void> };
  await store.ready;
  const drop = async () => {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  };
  return Object.assign(store, { drop });
}

function postgresCase(name: string, title: string, scenario: Scenario): BenchCase {
  return {
    name: `postgres/${name}`,
    title: `${title} (PostgreSQL; floor: the bare machine over the same kind of store's port)`,
    async prepare() {
      const url = process.env[URL_VARIABLE];
      if (!url) return { skipped: `${URL_VARIABLE} is not set` };
      const store = await openPostgres(url, 'e');
      if (typeof store === 'string') return { skipped: store };
      const floorStore = await openPostgres(url, 'f');
      if (typeof floorStore === 'string') return { skipped: floorStore };
      const plan = await floorPlanOf(scenario);
      const offsets = leapingOffsets();
      const floor = new PortFloorRuns(floorStore, plan, scenario.leap ? () => Date.now() + offsets() : Date.now);
      // sessions of this process only: the database may be shared and outlive the run
      const prefix = `bench-${process.pid}-${Date.now()}-`;
      return {
        subject: { ...engineContender('engine', new EngineRuns(store, scenario), freshSessions(`${prefix}e`)), countsStatements: false },
        floor: { ...floorContender(floor, freshSessions(`${prefix}f`), undefined, 'floor (port)'), countsStatements: false },
        notes: ['the floor calls the store port, so the ratio is what the engine adds over its store'],
        close: async () => {
          await store.drop();
          await floorStore.drop();
        },
      };
    },
  };
}

export const postgresCases = (): BenchCase[] => [
  postgresCase('success', 'the first candidate answers', SUCCESS),
  postgresCase('one-failure', 'the first candidate is overloaded, the next answers', ONE_FAILURE),
  postgresCase('quota-incident', 'the README incident as it first happens', QUOTA_INCIDENT),
];
