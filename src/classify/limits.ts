/** Bounds that keep classification linear in the input and cheap on hostile input. */
export const LIMITS = {
  /** Messages are cut to this many characters before any pattern runs. */
  textChars: 10_000,
  /** All text handed to the rules, together. */
  matchChars: 32_000,
  /** Bodies longer than this are not parsed as JSON or SSE. */
  bodyChars: 262_144,
  /** Objects visited while following `cause`, `error`, `errors`, bodies... */
  nodes: 200,
  depth: 12,
  arrayItems: 20,
  headerEntries: 200,
  texts: 40,
  codes: 60,
  /** Length of the returned `message`. */
  messageChars: 500,
} as const;
