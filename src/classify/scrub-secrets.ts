/**
 * Secrets that providers and proxies echo back in errors. No leading word boundary: a key glued
 * to other text ("key:sk-...", "xsk-...") must still go. Cues (`Bearer`, `key=`) go first, so a
 * greedy key pattern cannot swallow the cue and leave the secret after it behind.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(bearer)\s+[A-Za-z0-9._~+/=-]{12,}/gi, '$1 ***'],
  [/(^|[?&;\s"'(])((?:key|api[_-]?key|apikey|access[_-]?token|token|auth|sig|signature|secret|password)=)[^&\s"'<>]+/gi, '$1$2***'],
  [/sk-ant-[A-Za-z0-9_-]{8,}/g, 'sk-ant-***'],
  [/sk-[A-Za-z0-9_-]{16,}/g, 'sk-***'],
  [/AIza[0-9A-Za-z_-]{20,}/g, 'AIza***'],
  [/\b(gsk|xai|pplx|csk|fw|hf|ghp|gho|github_pat|glpat|r8)[_-][A-Za-z0-9_-]{16,}/g, '$1_***'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, '$1***'],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, 'jwt-***'],
  [/((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|password|client[_-]?secret)["']?\s*[:=]\s*["']?)[^\s"',;}]{6,}/gi, '$1***'],
];

/** Removes API keys, bearer tokens and `key=` query parameters from text meant for logs. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
