type Replacement = string | ((match: string) => string);

/**
 * Secrets that providers and proxies echo back in errors. No leading word boundary: a key glued
 * to other text ("key:sk-...", "xsk-...") must still go. Cues (`Bearer`, `key=`) go first, so a
 * greedy key pattern cannot swallow the cue and leave the secret after it behind.
 *
 * Each pattern has a cue: a cheap test that must pass for the pattern to match at all (the same
 * characters, looked up with `includes`, or one scan for the shapes without a prefix), so text
 * without it skips the pass.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, Replacement, (text: string, shape: { uuid: boolean; longRun: boolean }) => boolean]> = [
  [/(bearer)\s+[A-Za-z0-9._~+/=-]{12,}/gi, '$1 ***', (t) => /bearer/i.test(t)],
  [/(^|[?&;\s"'(])((?:key|api[_-]?key|apikey|access[_-]?token|token|auth|sig|signature|secret|password)=)[^&\s"'<>]+/gi, '$1$2***', (t) => t.includes('=')],
  // Long `sk-` keys always; short ones (test keys such as `sk-emu-1`) when they hold a digit, so
  // prose like "task-specific" survives. Decided per match: still one linear pass.
  [/sk-[A-Za-z0-9_-]{6,}/g, (m) => (m.length >= 23 || /\d/.test(m) ? (m.startsWith('sk-ant-') ? 'sk-ant-***' : 'sk-***') : m), (t) => t.includes('sk-')],
  [/AIza[0-9A-Za-z_-]{20,}/g, 'AIza***', (t) => t.includes('AIza')],
  [/(gsk|xai|pplx|csk|fw|hf|ghp|gho|github_pat|glpat|r8)[_-][A-Za-z0-9_-]{16,}/g, '$1_***', (t) => TOKEN_PREFIXES.some((p) => t.includes(p))],
  [/(AKIA|ASIA)[0-9A-Z]{16}/g, '$1***', (t) => t.includes('AKIA') || t.includes('ASIA')],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, 'jwt-***', (t) => t.includes('eyJ')],
  [/((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|password|client[_-]?secret)["']?\s*[:=]\s*["']?)[^\s"',;}]{6,}/gi, '$1***', (t) => /api[_-]?key|authorization|password|client[_-]?secret/i.test(t)],
  // Keys without a known prefix: UUID-shaped ones, and any run of 20+ letters and digits that mixes
  // both (a hex key, a random token). Words and model names (short digit-bearing segments) survive.
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '***', (_, shape) => shape.uuid],
  [/[A-Za-z0-9]{20,}/g, (m) => (/[0-9]/.test(m) && /[A-Za-z]/.test(m) ? '***' : m), (_, shape) => shape.longRun],
];

const TOKEN_PREFIXES = ['gsk', 'xai', 'pplx', 'csk', 'fw', 'hf', 'ghp', 'gho', 'github_pat', 'glpat', 'r8'];

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The shapes the two prefix-less patterns need, found in one scan: 8 hex digits then a dash, 20 letters or digits. */
function shapes(text: string): { uuid: boolean; longRun: boolean } {
  let hex = 0;
  let alnum = 0;
  let uuid = false;
  let longRun = false;
  for (let i = 0; i < text.length && !(uuid && longRun); i++) {
    const c = text.charCodeAt(i);
    if (c === 45 && hex >= 8) uuid = true;
    hex = isHex(c) ? hex + 1 : 0;
    alnum = isAlnum(c) ? alnum + 1 : 0;
    if (alnum >= 20) longRun = true;
  }
  return { uuid, longRun };
}

/** Removes API keys, bearer tokens and `key=` query parameters from text meant for logs. */
export function scrubSecrets(text: string): string {
  let out = text;
  // Computed once: a replacement only ever removes characters of a secret, never makes a new shape.
  const shape = shapes(text);
  for (const [pattern, replacement, cue] of SECRET_PATTERNS) {
    if (!cue(out, shape)) continue;
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}
