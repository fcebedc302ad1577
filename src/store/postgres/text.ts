import { ConfigError } from '../../errors.js';
import type { Message } from '../../types.js';
import { checkText, wellFormed } from '../text-checks.js';

// PostgreSQL text cannot hold U+0000 at all (the server refuses the whole statement), on top of
// what UTF-8 cannot hold (a lone surrogate). Text that must come back exactly is refused naming
// the field; informational text (error messages) is made storable instead.

const NUL = /\u0000/g;

export function checkPgText(field: string, value: string): void {
  checkText(field, value);
  if (value.includes('\u0000')) throw new ConfigError(field, 'contains a NUL character (U+0000), which PostgreSQL text cannot hold');
}

/** For informational text: lone surrogates and NUL become U+FFFD. */
export const storableText = (value: string): string => {
  const ok = wellFormed(value);
  return ok.includes('\u0000') ? ok.replace(NUL, '\uFFFD') : ok;
};

/** The turns a commit writes: a string content is stored as is, so it must be storable as is (parts go as JSON, which escapes both). */
export function checkTurnText(a: { messages: readonly Message[]; reply: Message }): void {
  a.messages.forEach((m, i) => {
    if (typeof m.content === 'string') checkPgText(`messages[${i}].content`, m.content);
  });
  if (typeof a.reply.content === 'string') checkPgText('reply.content', a.reply.content);
}
