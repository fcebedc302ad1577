import type { Migration } from './migration.js';

// Messages with parts (tool calls and results, images by reference, reasoning) and
// provider options. A plain text message keeps using `content` alone, both columns NULL, so
// every row written before this migration reads back exactly as it was.
export const migration003: Migration = {
  version: 3,
  name: 'message parts',
  sql: `
-- JSON array of the message's parts, exactly as given or produced; NULL when content is a string.
-- \`content\` then holds the parts' text, for people and tools reading the table.
ALTER TABLE turns ADD COLUMN parts TEXT;
-- JSON object of the message's providerOptions; NULL when it has none
ALTER TABLE turns ADD COLUMN provider_options TEXT;
`,
};
