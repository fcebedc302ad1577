import { describe } from 'vitest';
import { openSqliteStore } from '../../src/index.js';
import { tempDbPath } from '../store/helpers.js';
import { flappingPrimaryTests, oneProbeTest, type SharedStore } from './helpers/flapping-suites.js';

// The flapping-primary acceptance (helpers/flapping-suites.ts) on SQLite: processes share a file.
// flapping-primary-postgres.test.ts runs the same tests with hosts sharing a PostgreSQL schema.
const sqlite: SharedStore = { fresh: tempDbPath, open: (path) => openSqliteStore({ path }) };

describe('a flapping primary across runs sharing one store', () => flappingPrimaryTests('one SQLite file', sqlite));

describe('one probe across processes', () => oneProbeTest(4, sqlite));
