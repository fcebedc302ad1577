/**
 * Secrets that providers and proxies echo back in errors. No leading word boundary: a key glued
 * to other text ("key:sk-...", "xsk-...") must still go. Cues (`Bearer`, `key=`) go first, so a
 * greedy key pattern cannot swallow the cue and leave the secret after it behind.
 *
 * Each pattern runs only when its cue is in the text: the characters every match of it holds,
 * looked up with `includes`, or one scan for the shapes that have no prefix. Most messages hold
 * no cue at all and cost one scan.
 */
const BEARER = /(bearer)\s+[A-Za-z0-9._~+/=-]{12,}/gi;
const KEY_PARAM = /(^|[?&;\s"'(])((?:key|api[_-]?key|apikey|access[_-]?token|token|auth|sig|signature|secret|password)=)[^&\s"'<>]+/gi;
const SK_KEY = /sk-[A-Za-z0-9_-]{6,}/g;
const GOOGLE_KEY = /AIza[0-9A-Za-z_-]{20,}/g;
const PREFIXED_TOKEN = /(gsk|xai|pplx|csk|fw|hf|ghp|gho|github_pat|glpat|r8)[_-][A-Za-z0-9_-]{16,}/g;
const AWS_KEY = /(AKIA|ASIA)[0-9A-Z]{16}/g;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const HEADER_VALUE = /((?:x-api-key|x-goog-api-key|api[_-]?key|authorization|password|client[_-]?secret)["']?\s*[:=]\s*["']?)[^\s"',;}]{6,}/gi;
const HEADER_CUE = /api[_-]?key|authorization|password|client[_-]?secret/i;
// Keys without a known prefix: UUID-shaped ones, and any run of 20+ letters and digits that mixes
// both (a hex key, a random token). Words and model names (short digit-bearing segments) survive.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const LONG_RUN = /[A-Za-z0-9]{20,}/g;

const TOKEN_PREFIXES = ['gsk', 'xai', 'pplx', 'csk', 'fw', 'hf', 'ghp', 'gho', 'github_pat', 'glpat', 'r8'];

function hasTokenPrefix(text: string): boolean {
  for (const p of TOKEN_PREFIXES) if (text.includes(p)) return true;
  return false;
}

// Long `sk-` keys always; short ones (test keys such as `sk-emu-1`) when they hold a digit, so
// prose like "task-specific" survives. Decided per match: still one linear pass.
const skKey = (m: string): string => (m.length >= 23 || /\d/.test(m) ? (m.startsWith('sk-ant-') ? 'sk-ant-***' : 'sk-***') : m);
const mixedRun = (m: string): string => (/[0-9]/.test(m) && /[A-Za-z]/.test(m) ? '***' : m);

// Character kinds for the shape scan: 1 hex digit, 2 other letter or digit.
const KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  KIND[c] = /[0-9a-fA-F]/.test(ch) ? 1 : /[A-Za-z]/.test(ch) ? 2 : 0;
}
const UUID_SHAPE = 1;
const RUN_SHAPE = 2;

/** The shapes the two prefix-less patterns need, in one scan: 8 hex digits then a dash; 20 letters or digits. */
function shapes(text: string): number {
  let hex = 0;
  let alnum = 0;
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? (KIND[c] as number) : 0;
    if (c === 45 && hex >= 8) found |= UUID_SHAPE;
    hex = kind === 1 ? hex + 1 : 0;
    alnum = kind === 0 ? 0 : alnum + 1;
    if (alnum >= 20) found |= RUN_SHAPE;
    if (found === (UUID_SHAPE | RUN_SHAPE)) break;
  }
  return found;
}

/** Removes API keys, bearer tokens and `key=` query parameters from text meant for logs. */
export function scrubSecrets(text: string): string {
  // Computed once: a replacement only ever removes characters of a secret, never makes a new shape.
  const shape = shapes(text);
  let out = text;
  if (/bearer/i.test(out)) out = out.replace(BEARER, '$1 ***');
  if (out.includes('=')) out = out.replace(KEY_PARAM, '$1$2***');
  if (out.includes('sk-')) out = out.replace(SK_KEY, skKey);
  if (out.includes('AIza')) out = out.replace(GOOGLE_KEY, 'AIza***');
  if (hasTokenPrefix(out)) out = out.replace(PREFIXED_TOKEN, '$1_***');
  if (out.includes('AKIA') || out.includes('ASIA')) out = out.replace(AWS_KEY, '$1***');
  if (out.includes('eyJ')) out = out.replace(JWT, 'jwt-***');
  if (HEADER_CUE.test(out)) out = out.replace(HEADER_VALUE, '$1***');
  if (shape & UUID_SHAPE) out = out.replace(UUID, '***');
  if (shape & RUN_SHAPE) out = out.replace(LONG_RUN, mixedRun);
  return out;
}
