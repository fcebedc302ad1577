// The floor of a persisted run must do the same persisted work as the run it is compared with,
// or the ratio would flatter the engine: the same rows in every table after the same runs.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { deadChain, ONE_FAILURE, QUOTA_INCIDENT, SUCCESS } from '../../bench/cases/scenarios.js';
import { openCaseStorage } from '../../bench/cases/storage.js';
import { leapingOffsets } from '../../bench/engine/clocks.js';
import { EngineRuns, type Scenario } from '../../bench/engine/engine-runs.js';
import { floorPlanOf } from '../../bench/engine/floor-plan-of.js';
import { FloorRuns } from '../../bench/floor/floor-runs.js';
import { PortFloorRuns } from '../../bench/floor/port-floor-runs.js';
import { openSqliteStore } from '../../src/index.js';

const RUNS = 3;

/** What a database holds, without ids and times (those differ between any two runs). */
function contents(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      sessions: all('SELECT version, lease_owner IS NULL AS released, turn_count FROM sessions ORDER BY id'),
      turns: all('SELECT seq, role, content, run_index FROM turns ORDER BY session_id, seq'),
      runs: all(
        `SELECT status, served_provider, served_model, served_profile_id, error_code, error_message IS NOT NULL AS has_message, decisions IS NOT NULL AS has_decisions,
           json_array_length(decisions) AS decisions FROM runs ORDER BY started_at, id`,
      ),
      attempts: all('SELECT n, provider, model, profile_id, outcome, reason, scope, status, message, probe FROM attempts ORDER BY run_id, n'),
      cooldowns: all('SELECT provider, profile_id, model, reason, failures FROM cooldowns ORDER BY provider, profile_id, model'),
    };
  } finally {
    db.close();
  }
}

async function bothWrite(scenario: Scenario, overThePort = false) {
  const storage = await openCaseStorage('wal');
  try {
    const plan = await floorPlanOf(scenario);
    const engine = new EngineRuns(storage.store, scenario);
    const offsets = leapingOffsets();
    const now = scenario.leap ? () => Date.now() + offsets() : Date.now;
    // the PostgreSQL cases' floor calls a store's port; here the port of a SQLite store on the floor's file
    const floorPath = storage.store.path.replace(/engine\.db$/, 'floor.db');
    const portStore = overThePort ? openSqliteStore({ path: floorPath }) : undefined;
    const floor = portStore ? new PortFloorRuns(portStore, plan, now) : new FloorRuns(storage.floor, plan, { now, cacheHistory: true });
    for (let i = 0; i < RUNS; i++) {
      await engine.one(`s${i}`);
      await floor.one(`s${i}`);
    }
    // one session used twice: the second run appends after the first run's turns
    await engine.one('s0');
    await floor.one('s0');
    await portStore?.close();
    return { engine: contents(storage.store.path), floor: contents(floorPath) };
  } finally {
    await storage.close();
  }
}

describe('the floor writes what the engine writes', () => {
  it.each([
    ['success', SUCCESS],
    ['one failure', ONE_FAILURE],
    ['the quota incident', QUOTA_INCIDENT],
    ['a dead chain of 4', deadChain(4)],
  ] as const)('%s: the same sessions, turns, runs, attempts and cooldowns', async (_name, scenario) => {
    const { engine, floor } = await bothWrite(scenario);
    expect(engine.runs).toHaveLength(RUNS + 1);
    expect(engine.attempts).toHaveLength((RUNS + 1) * scenario.expect.calls);
    expect(floor).toEqual(engine);
  });
});

describe('the floor over a store port writes what the engine writes', () => {
  it.each([
    ['success', SUCCESS],
    ['a dead chain of 3', deadChain(3)],
  ] as const)('%s: the same rows through the port as through the engine', async (_name, scenario) => {
    const { engine, floor } = await bothWrite(scenario, true);
    expect(engine.runs).toHaveLength(RUNS + 1);
    expect(floor).toEqual(engine);
  });
});
