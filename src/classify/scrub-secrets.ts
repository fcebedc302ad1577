type Replacement = string | ((match: string) => string);

/**
 * Secrets that providers and proxies echo back in errors. No leading word boundary: a key glued
 * to other text ("key:sk-...", "xsk-...") must still go. Cues (`Bearer`, `key=`) go first, so a
 * greedy key pattern cannot swallow the cue and leave the secret after it behind.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, Replacement]> = [
  [/(bearer)\s+[A-Za-z0-9._~+/=-]{12,}/gi, '$1 ***'],
  [/(^|[?&;\s"'(])((?:key|api[_-]?key|apikey|access[_-]?token|token|auth|sig|signature|secret|password)=)[^&\s"'<>]+/gi, '$1$2***'],
  // Long `sk-` keys always; short ones (test keys such as `sk-emu-1`) when they hold a digit, so
  // prose like "task-specific" survives. Decided per match: still one linear pass.
  [/sk-[A-Za-z0-9_-]{6,}/g, (m) => (m.length >= 23 || /\d/.test(m) ? (m.startsWith('sk-ant-') ? 'sk-ant-***' : 'sk-***') : m)],
  [/AIza[0-9A-Za-z_-]{20,}/g, 'AIza***'],
  [/(gsk|xai|pplx|csk|fw|hf|ghp|gho|github_pat|glpat|r8)[_-][A-Za-z0-9_-]{16,}/g, '$1_***'],
  [/(AKIA|ASIA)[0-9A-Z]{16}/g, '$1***'],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, 'jwt-***'],
  [/((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|password|client[_-]?secret)["']?\s*[:=]\s*["']?)[^\s"',;}]{6,}/gi, '$1***'],
  // Keys without a known prefix: UUID-shaped ones, and any run of 20+ letters and digits that mixes
  // both (a hex key, a random token). Words and model names (short digit-bearing segments) survive.
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '***'],
  [/[A-Za-z0-9]{20,}/g, (m) => (/[0-9]/.test(m) && /[A-Za-z]/.test(m) ? '***' : m)],
];

/** Removes API keys, bearer tokens and `key=` query parameters from text meant for logs. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}
