import { type Move, REASON_RULES, type ReasonRule } from '../policy/reason-rules.js';
import { BASE_REFINEMENTS, CODE_REFINEMENTS, REASON_DEFAULTS } from './reason-defaults.js';
import { FAMILY_TABLES, GENERIC_RULES, STATUS_RULES } from './rules/index.js';
import type { Rule, RuleTable } from './rules/types.js';
import { FAILURE_REASONS, type FailureReason } from './types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`\` ${cell(s)} \`\``;

const MOVE_WORDS: Record<Move, string> = {
  retry: 'retry the same candidate after the wait',
  rotate: 'rotate to another profile',
  escalate: 'escalate to the next candidate',
};
const COOLDOWN_WORDS: Record<ReasonRule['cooldown'], string> = {
  wait: 'blocked for the provider\'s wait or a growing backoff',
  long: 'blocked for a long, growing cooldown',
  run: 'blocked for this run only',
};

/** The engine's default action, in words, from the policy table it runs on. */
function actionOf(reason: FailureReason): string {
  const r = REASON_RULES[reason];
  const moves = r.order.filter((m) => m !== 'retry' || r.retry).map((m) => MOVE_WORDS[m]);
  const otherwise = `${moves.join(', else ')}; ${COOLDOWN_WORDS[r.cooldown]}`;
  if (!r.terminal) return otherwise;
  return reason === 'aborted' ? 'fail the run now' : `fail the run now when the scope is \`request\`; otherwise ${otherwise}`;
}

function perAccount(): string {
  return FAILURE_REASONS.filter((r) => REASON_RULES[r].perAccount).map((r) => `\`${r}\``).join(', ');
}

function reasonsTable(): string[] {
  const rows = FAILURE_REASONS.map((reason) => {
    const d = REASON_DEFAULTS[reason];
    return `| \`${reason}\` | ${d.scope} | ${d.retryable ? 'yes' : 'no'} | ${cell(actionOf(reason))} |`;
  });
  return ['| reason | default scope | retryable | default action (src/policy/reason-rules.ts) |', '|---|---|---|---|', ...rows];
}

function refinementsTable(): string[] {
  const show = (v: readonly FailureReason[] | '*' | undefined, fallback: string): string =>
    v === '*' ? 'any' : v === undefined ? fallback : v.length === 0 ? 'none' : v.map((r) => `\`${r}\``).join(', ');
  return [
    '| base reason | text may refine a status or broad category into | text may refine a specific code into |',
    '|---|---|---|',
    ...FAILURE_REASONS.filter((r) => r !== 'interrupted' && r !== 'host_error').map(
      (r) => `| \`${r}\` | ${show(BASE_REFINEMENTS[r], 'any')} | ${show(CODE_REFINEMENTS[r], 'none')} |`,
    ),
  ];
}

function statusTable(): string[] {
  return [
    '| HTTP status | base reason | scope | why |',
    '|---|---|---|---|',
    ...STATUS_RULES.map((r) => {
      const s = typeof r.status === 'number' ? String(r.status) : `${r.status[0]}–${r.status[1]}`;
      return `| ${s} | \`${r.reason}\` | ${r.scope ?? 'default'} | ${cell(r.note)} |`;
    }),
  ];
}

function ruleRow(rule: Rule): string {
  const kind = rule.code ? (rule.weak ? 'code (broad)' : 'code') : 'text';
  const pattern = (rule.code ?? rule.text)?.source ?? '';
  const extras = [
    rule.status ? `only with HTTP ${rule.status.join('/')}` : '',
    rule.retryable !== undefined ? `retryable: ${rule.retryable ? 'yes' : 'no'}` : '',
    rule.yieldsToStatus ? 'ignored when an HTTP error status is present' : '',
  ].filter(Boolean);
  const note = [rule.note, ...extras].join('; ');
  return `| ${kind} | ${code(pattern)} | \`${rule.reason}\` | ${rule.scope ?? 'default'} | ${cell(note)} |`;
}

function tableSection(table: RuleTable): string[] {
  const out = [`### ${table.title}`, ''];
  if (table.providers.length > 0) out.push(`- Provider names: ${table.providers.map((p) => `\`${p}\``).join(', ')}.`);
  if (table.headerPrefixes?.length) out.push(`- Recognised without a provider name by headers starting with ${table.headerPrefixes.map((p) => `\`${p}\``).join(', ')}.`);
  const scopes = Object.entries(table.defaultScopes ?? {});
  if (scopes.length > 0) out.push(`- Default scopes: ${scopes.map(([r, s]) => `\`${r}\` → ${s}`).join(', ')}.`);
  if (out.length > 2) out.push('');
  out.push('| kind | pattern (case-insensitive) | reason | scope | why |', '|---|---|---|---|---|', ...table.rules.map(ruleRow), '');
  return out;
}

/** How the classifier scores on a labelled corpus, per provider: computed by the tests, not by the library. */
export interface CorpusAccuracy {
  rows: ReadonlyArray<{ provider: string; entries: number; reasons: number; scopes: number }>;
  /** Ids of the entries it gets wrong, with what it answered. */
  misses: ReadonlyArray<string>;
  /** Batches labelled before the classifier saw them: what they scored then, and after their misses were fixed. */
  heldOut?: ReadonlyArray<{
    batch: number;
    entries: number;
    providers: number;
    before: { reason: number; scope: number; wrongTerminal: number };
    after: { reason: number; scope: number; wrongTerminal: number };
    /** Labels corrected after the first run (each entry says why in `relabelled`); the first-run figures keep the labels as committed. */
    relabelled?: number;
  }>;
}

const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)} %`;

const num = (n: number): string => `${n.toFixed(1)} %`;

/** The honest figure: batches labelled first, then measured, then fixed by category and added to the corpus. */
function heldOutSection(batches: NonNullable<CorpusAccuracy['heldOut']>): string[] {
  if (batches.length === 0) return [];
  return [
    '### On payloads it had never seen',
    '',
    'Held-out batches are collected from sources the corpus does not hold, labelled before the classifier runs on',
    'them (the labels are committed first), then measured with `npx tsx scripts/measure-held-out.ts <file>`. That',
    'first measurement is what to expect on new payloads. The misses are then fixed by category (wording and codes',
    'shared by many providers, never one sentence) and the batch joins the corpus (`heldOut` in each entry). A wrong',
    'terminal verdict is a `bad_request` of scope `request` (the run ends) where the label says another candidate',
    'would have served. A label found wrong after the first run (the corpus or the provider\'s documentation says',
    'otherwise) is corrected with the reason in the entry (`relabelled`); the first-run figures keep the labels as',
    'they were committed.',
    '',
    '| batch | payloads | providers | reason, first run | scope, first run | wrong terminal verdicts, first run | labels corrected after | reason, after fixes | scope, after fixes |',
    '|---|---|---|---|---|---|---|---|---|',
    ...batches.map(
      (b) =>
        `| ${b.batch} | ${b.entries} | ${b.providers} | ${num(b.before.reason)} | ${num(b.before.scope)} | ${b.before.wrongTerminal} | ${b.relabelled ?? 0} | ${num(b.after.reason)} | ${num(b.after.scope)} |`,
    ),
    '',
  ];
}

function accuracySection(corpus: CorpusAccuracy | undefined): string[] {
  if (!corpus) return [];
  const total = corpus.rows.reduce((a, r) => ({ entries: a.entries + r.entries, reasons: a.reasons + r.reasons, scopes: a.scopes + r.scopes }), { entries: 0, reasons: 0, scopes: 0 });
  return [
    '## Accuracy on real payloads',
    '',
    `Measured by \`npm test\` on the ${total.entries} real error payloads of test/fixtures/error-payloads.json (public`,
    'issue threads, SDK test fixtures and provider docs, each entry with its source): reason',
    `${pct(total.reasons, total.entries)}, scope ${pct(total.scopes, total.entries)}. The rules were written against this corpus, so these figures`,
    'say what the tables cover, not how they do on payloads never seen.',
    '',
    '| provider (as the corpus names it) | payloads | reason | scope |',
    '|---|---|---|---|',
    ...corpus.rows.map((r) => `| ${cell(r.provider)} | ${r.entries} | ${pct(r.reasons, r.entries)} | ${pct(r.scopes, r.entries)} |`),
    '',
    corpus.misses.length === 0 ? 'No entry is missed.' : `Missed: ${corpus.misses.map((m) => `\`${cell(m)}\``).join(', ')}.`,
    '',
    ...heldOutSection(corpus.heldOut ?? []),
  ];
}

/** docs/errors.md, rendered from the tables the classifier runs on (and, when given, its corpus accuracy). */
export function renderErrorsDoc(corpus?: CorpusAccuracy): string {
  return [
    '# Errors: how failures are classified',
    '',
    '<!-- Generated by `npx tsx scripts/write-errors-doc.ts` from src/classify/rules, src/classify/reason-defaults.ts',
    '     and the corpus in test/fixtures. Do not edit by hand: test/classify/errors-doc.test.ts fails when it drifts. -->',
    '',
    '`classifyError(err, { provider?, now? })` turns whatever a provider call threw into',
    '`{ reason, scope, retryable, retryAfterMs?, resetAt?, status?, code?, message }`. It never throws,',
    'runs in time linear in its input (texts are cut to 10 kB before matching), and scrubs API keys,',
    'bearer tokens and `key=` parameters from `message`. Hosts can pass their own `classify` to',
    'the run actor; `createClassifier(...hosts)` builds a total classifier that asks them first and',
    'falls back to this one.',
    '',
    '## Reasons',
    '',
    ...reasonsTable(),
    '',
    '`interrupted` is reserved for a stream that failed after partial output; the engine sets it, `classifyError` never does.',
    '`host_error` is the engine\'s too: `call` resolved without a string `content`, or threw a `TypeError`/`ReferenceError`',
    'that the classifier reads as nothing a provider says (a `fetch failed` TypeError with a network cause stays `network`).',
    '',
    '## Scopes',
    '',
    '| scope | what the run leaves |',
    '|---|---|',
    '| `request` | nothing to leave: this input fails everywhere (or was cancelled); a retryable one is retried as is |',
    `| \`model\` | this model: under this key for reasons that belong to an account (${perAccount()}), for everyone otherwise |`,
    '| `profile` | this auth profile (the key or its whole account), every model of it |',
    '| `provider` | the whole provider |',
    '',
    '## How a classification is decided',
    '',
    '1. The thrown value is walked breadth-first through `cause`, `error`, `errors` (latest first),',
    '   `lastError`, `response`, bodies (JSON, SSE streams that carry an error inside HTTP 200, HTML',
    '   pages from proxies, JSON quoted inside a message), with a visit budget so cycles stay cheap.',
    '   A finish or stop reason other than a normal end (Gemini `SAFETY`, Anthropic `stop_reason: "refusal"`,',
    '   also in a late stream event) is a signal like an error code.',
    '2. The provider family comes from `context.provider`, or from response headers. Its table is',
    '   read first, then the generic one; with no family, the generic table and then every family\'s.',
    '3. **Structured first**: a specific provider code (`error.type`, `error.code`, gRPC status',
    '   strings, exception names, Node error codes) decides the base reason; otherwise the HTTP',
    '   status; otherwise a broad category such as `invalid_request_error`. A status or a broad',
    '   category alone never says `bad_request`: only words or codes that name an invalid request do; an',
    '   unexplained 4xx is `unknown`, not retryable, scope `model` (this model and key move on). A `bad_request`',
    '   is scope `model` too (an API refuses a request by its own validation rules, which another provider may not',
    '   share): only wording that names a defect every chat API refuses (a tool call without its result, no',
    '   messages at all) makes it scope `request` and ends the run. Client-side codes',
    '   (abort, timeout, socket) give way when the chain also carries an HTTP error status.',
    '4. **Text second**: the first text rule, in table order, whose reason is the base or a',
    '   refinement the base allows (table below) decides. With no structured signal, text alone decides;',
    '   with none at all, the reason is `unknown`. Words of a broken connection never refine an HTTP 5xx:',
    '   the server answered, so "upstream connect error" in its page describes its own upstream. A link\'s',
    '   path is not read as words (`…#max-tokens-and-context-window-size` names no overflow), only its host.',
    '5. Scope and retryability come from the rules that agree with the outcome (text, code,',
    '   status); for a rate or quota limit no rule scoped, from its own words (the model it names →',
    '   `model`; a project, team or virtual key that owns it → `profile`; the caller\'s IP address → `provider`,',
    '   every key from this host); then the family\'s default',
    '   scopes, then the reason\'s defaults. A thrower\'s',
    '   `isRetryable: false` (AI SDK) or `x-should-retry: false` only lowers `unknown`. A 402 is',
    '   `billing` whatever else it says. An AbortError while the caller\'s `signal` (context) is not',
    '   aborted is the host\'s own timeout: `timeout`, not `aborted`.',
    '',
    ...refinementsTable(),
    '',
    '## Retry timing',
    '',
    'First found wins: `retry-after-ms`; `retry-after` (seconds or HTTP-date); body fields',
    '(`resets_in_seconds`, `retry_after`, `retry_after_ms`, Hugging Face `estimated_time` (seconds until',
    'a cold model is loaded, also when a wrapper quotes it), Google `RetryInfo.retryDelay`, then',
    '`resets_at`); `x-ratelimit-reset-requests` / `-tokens` (`6m0s`, `1.5s`) and',
    '`anthropic-ratelimit-*-reset` (RFC 3339), preferring the budget whose `-remaining` is 0, for',
    '`rate_limit` and `quota_exhausted` only (these headers ride on every response); a',
    'wait named in the message ("try again in 14m24s", "retry after 22 seconds"); a reset instant',
    'with an explicit zone in the message. `resetAt` is absolute, from the injected clock. A quota',
    'whose limit is 0 (`limit: 0`, "0/0 used") never frees by waiting: its retry hint is dropped.',
    '',
    ...accuracySection(corpus),
    '## HTTP statuses',
    '',
    ...statusTable(),
    '',
    '## Signals per provider',
    '',
    ...FAMILY_TABLES.flatMap(tableSection),
    '## Signals of every provider',
    '',
    ...tableSection(GENERIC_RULES).slice(2),
  ].join('\n');
}
