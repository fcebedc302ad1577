import { messageText, type Message, type Role } from '../message-types.js';
import type { Turn } from '../types.js';
import { wellFormed } from './text-checks.js';

/** A turns row as the statements read it. */
export interface TurnRow {
  seq: number;
  role: Role;
  content: string;
  runId: string;
  /** JSON array, or null for a message whose content is a string. */
  parts: string | null;
  /** JSON object, or null. */
  providerOptions: string | null;
}

/** The columns a message is written to: text stays a text column, parts become JSON only when there are parts. */
export interface TurnColumns {
  content: string;
  parts: string | null;
  providerOptions: string | null;
}

export function turnColumns(m: Message): TurnColumns {
  const providerOptions = m.providerOptions === undefined ? null : JSON.stringify(m.providerOptions);
  if (typeof m.content === 'string') return { content: m.content, parts: null, providerOptions };
  // The text column of a message with parts is only a reading aid (the parts are what is read
  // back), so it may be made well-formed; JSON escapes a lone surrogate and keeps it exactly.
  return { content: wellFormed(messageText(m)), parts: JSON.stringify(m.content), providerOptions };
}

/** What a corrupt row is, to the store's error mapping: SQLite's own word for damaged content. */
function corrupt(message: string): Error {
  return Object.assign(new Error(message), { code: 'SQLITE_CORRUPT' });
}

function parseJson(text: string, what: string, isShape: (v: unknown) => boolean): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(`${what} is not valid JSON`);
  }
  if (!isShape(value)) throw corrupt(`${what} does not hold what the column must`);
  return value;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A row back into the message it stored. A text row (both JSON columns NULL, which every row
 * written before parts existed is) costs one small object; a row whose JSON a damaged or
 * foreign write left unreadable is reported as corruption (STORE_CORRUPT), never guessed at.
 */
export function turnFromRow(row: TurnRow, sessionId: string): Turn {
  if (row.parts === null && row.providerOptions === null) return { seq: row.seq, role: row.role, content: row.content, runId: row.runId } as Turn;
  const where = `turn ${row.seq} of session ${sessionId}`;
  const content = row.parts === null ? row.content : parseJson(row.parts, `the parts of ${where}`, Array.isArray);
  const turn = { seq: row.seq, role: row.role, content, runId: row.runId } as Turn;
  if (row.providerOptions !== null) turn.providerOptions = parseJson(row.providerOptions, `the provider options of ${where}`, isObject) as Turn['providerOptions'];
  return turn;
}

/** The message of a turn, without its place in the session. */
export function turnMessage(t: Turn): Message {
  return (t.providerOptions === undefined ? { role: t.role, content: t.content } : { role: t.role, content: t.content, providerOptions: t.providerOptions }) as Message;
}
