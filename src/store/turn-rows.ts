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

/** The own keys of a message as parseMessage makes it, in its order. */
const MESSAGE_KEYS = ['role', 'content', 'providerOptions'] as const;

/**
 * How many of MESSAGE_KEYS `m` has as its own enumerable keys, in that order, and nothing else
 * (2 or 3); -1 for any other message.
 */
function messageKeys(m: Message): number {
  let k = 0;
  for (const key in m) {
    if (key !== MESSAGE_KEYS[k] || !Object.hasOwn(m, key)) return -1;
    k++;
  }
  // a spread copies symbol keys too: a message with one goes the spread's way
  return k >= 2 && Object.getOwnPropertySymbols(m).length === 0 ? k : -1;
}

/**
 * `{ ...m, seq, runId }`, the turn a committed message becomes. A message as the engine makes
 * it (parseMessage's keys, in its order) is copied as a literal: in a commit the spread took the
 * generic, slow path (about 3 µs a turn, most of the commit's own time), the messages of a run
 * coming from several places in several shapes. Any other message is spread, as before.
 */
export function turnOf(m: Message, seq: number, runId: string): Turn {
  const k = messageKeys(m);
  if (k === 2) return { role: m.role, content: m.content, seq, runId } as Turn;
  if (k === 3) return { role: m.role, content: m.content, providerOptions: m.providerOptions, seq, runId } as Turn;
  return { ...m, seq, runId };
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
