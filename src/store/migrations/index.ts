import { migration001 } from './001-initial.js';
import { migration002 } from './002-operations.js';
import { migration003 } from './003-message-parts.js';
import { migration004 } from './004-circuit.js';
import { migration005 } from './005-runs-rowid.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** In version order, no gaps: a new migration is appended, never edited once released. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * `PRAGMA application_id` of our databases ("LLMF"), so a SQLite file of another program is
 * refused instead of being migrated into.
 */
export const APPLICATION_ID = 0x4c4c4d46;
