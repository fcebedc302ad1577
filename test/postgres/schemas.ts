import pg from 'pg';

let counter = 0;

/** A schema name no other test (or helper process, or host of the shared server) uses. */
export const freshSchemaName = (label = 't'): string =>
  `llmf_${label}_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

/** Drops the schemas a test made, with everything in them. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(s)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The URL with `?schema=` set, as the CLI and hosts give it. */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}
