// Text from the store (ids, turns, provider error messages) reaches an operator's terminal:
// control characters are shown escaped, so stored text can never move the cursor or recolour it.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of terminal text: newlines, tabs and every other control character escaped. */
export function clean(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Cleaned, and cut to `max` characters with an ellipsis. */
export function brief(text: string, max: number): string {
  const line = clean(text);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Columns padded to their widest cell; cells are cleaned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [headers, ...rows].map((r) => r.map(clean));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  return cells.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
