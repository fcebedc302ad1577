import type { Migration } from './migration.js';

// Failover under stream faults (issue 13): each attempt keeps its own usage and whether its
// text reached the host; a cooldown remembers its failures after it ends (so backoff grows
// across runs until a success clears it) and which run holds the probe of its key.
export const migration004: Migration = {
  version: 4,
  name: 'attempt usage and circuit probes',
  sql: `
-- JSON object of the call's token counts as reported; NULL when the provider gave none
ALTER TABLE attempts ADD COLUMN usage TEXT;
-- 1 when text of the call reached the host (a reset followed if it did not serve)
ALTER TABLE attempts ADD COLUMN streamed INTEGER NOT NULL DEFAULT 0;
-- The run that claimed the probe of an ended cooldown, and until when its claim holds;
-- NULL when nobody probes. A new failure of the key (an upsert) ends the claim.
ALTER TABLE cooldowns ADD COLUMN probe_run_id TEXT;
ALTER TABLE cooldowns ADD COLUMN probe_until REAL;
`,
};
