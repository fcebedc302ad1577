/** One step of the schema. `version` is what `PRAGMA user_version` reads once it is applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
