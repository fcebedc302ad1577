import type { CodeSignal, Signals } from './collect-signals.js';
import { limitOwnerScope } from './limit-owner.js';
import { LIMITS } from './limits.js';
import { BASE_REFINEMENTS, CODE_REFINEMENTS, REASON_DEFAULTS } from './reason-defaults.js';
import { FAMILY_TABLES, GENERIC_RULES, familyOf, statusRule, tablesFor } from './rules/index.js';
import { LiteralIndex } from './rules/required-literals.js';
import type { Rule, RuleTable, StatusRule } from './rules/types.js';
import type { FailureReason, FailureScope } from './types.js';

export interface Decision {
  reason: FailureReason;
  scope: FailureScope;
  retryable: boolean;
  status?: number;
  code?: string;
  /** The text the rules saw, reused for retry hints in prose. */
  text: string;
  /** The provider's retry hint does not apply (a quota of 0 never frees by waiting). */
  ignoresRetryHint: boolean;
}

interface CodeHit {
  rule: Rule;
  code: CodeSignal;
}

function statusApplies(rule: Rule, status: number | undefined): boolean {
  return !rule.status || (status !== undefined && rule.status.includes(status));
}

const ALL_TABLES: readonly RuleTable[] = [GENERIC_RULES, ...FAMILY_TABLES];

// Per code value, the code rules of every table it matches: codes repeat across failures
// (`rate_limit_exceeded`, `ECONNRESET`), so each is tested against the tables once. Bounded:
// arbitrary strings from a hostile input cannot grow it without limit.
const CODE_HITS = new Map<string, readonly Rule[]>();
const CODE_HITS_MAX = 2_000;
const CODE_RULES: readonly Rule[] = ALL_TABLES.flatMap((t) => t.rules.filter((r) => r.code));

function codeHits(value: string): readonly Rule[] {
  let hits = CODE_HITS.get(value);
  if (hits) return hits;
  hits = CODE_RULES.filter((r) => r.code?.test(value));
  if (CODE_HITS.size >= CODE_HITS_MAX) CODE_HITS.clear();
  CODE_HITS.set(value, hits);
  return hits;
}

/** Each rule's position in its table: rule order is priority. */
const POSITION = new Map<Rule, number>(ALL_TABLES.flatMap((t) => t.rules.map((r, i) => [r, i] as const)));
const TABLE_OF = new Map<Rule, RuleTable>(ALL_TABLES.flatMap((t) => t.rules.map((r) => [r, t] as const)));

/** First rule (in table order) that matches any code: rule order is priority, not code order. */
function matchCode(tables: readonly RuleTable[], codes: readonly CodeSignal[], status: number | undefined, weak: boolean): CodeHit | undefined {
  let best: CodeHit | undefined;
  let bestOrder = Infinity;
  for (const code of codes) {
    for (const rule of codeHits(code.value)) {
      if (Boolean(rule.weak) !== weak || !statusApplies(rule, status)) continue;
      if (rule.yieldsToStatus && status !== undefined) continue;
      const table = TABLE_OF.get(rule);
      const t = table === undefined ? -1 : tables.indexOf(table);
      if (t < 0) continue;
      const order = t * 1_000_000 + (POSITION.get(rule) ?? 0);
      // The first code (outermost) wins among codes the same rule matches.
      if (order < bestOrder) [best, bestOrder] = [{ rule, code }, order];
    }
  }
  return best;
}

// Every text pattern's required runs, found in one pass over the text.
const TEXT_INDEX = new LiteralIndex(ALL_TABLES.flatMap((t) => t.rules.flatMap((r) => (r.text ? [r.text] : []))));

/**
 * A text rule as the hot loop reads it: every entry has the same shape, so reading its fields
 * stays monomorphic (the rule objects themselves differ in which optional fields they set).
 */
interface TextEntry {
  rule: Rule;
  re: RegExp;
  reason: FailureReason;
  status: readonly number[] | null;
  yieldsToStatus: boolean;
  /** The runs the text must hold for `re` to match (LiteralIndex). */
  plan: Int32Array | null;
}

const TEXT_ENTRIES = new Map<RuleTable, readonly TextEntry[]>(
  ALL_TABLES.map((t) => [
    t,
    t.rules.flatMap((rule): TextEntry[] =>
      rule.text
        ? [{ rule, re: rule.text, reason: rule.reason, status: rule.status ?? null, yieldsToStatus: rule.yieldsToStatus === true, plan: TEXT_INDEX.planOf(rule.text) }]
        : [],
    ),
  ]),
);

/** First text rule (in table order) that the base allows and the text matches. */
function matchText(tables: readonly RuleTable[], text: string, status: number | undefined, base: FailureReason | undefined, allowed: readonly FailureReason[] | '*'): Rule | undefined {
  TEXT_INDEX.scan(text.toLowerCase());
  // A 5xx answer came over a working connection: transport words in it describe a proxy's upstream, not this call.
  const answered = status !== undefined && status >= 500;
  for (const table of tables) {
    for (const e of TEXT_ENTRIES.get(table) ?? []) {
      if (e.reason !== base && allowed !== '*' && !allowed.includes(e.reason)) continue;
      if (answered && e.reason === 'network') continue;
      if (e.status !== null && (status === undefined || !e.status.includes(status))) continue;
      if (e.yieldsToStatus && status !== undefined) continue;
      if (TEXT_INDEX.mayMatchLast(e.re, e.plan) && e.re.test(text)) return e.rule;
    }
  }
  return undefined;
}

function matchStatus(status: number | undefined): StatusRule | undefined {
  return status === undefined ? undefined : statusRule(status);
}

const byRank = (a: { rank: number }, b: { rank: number }): number => a.rank - b.rank;

/** The first HTTP error status (4xx or 5xx) of a list. */
function firstError(statuses: readonly number[]): number | undefined {
  for (const s of statuses) if (s >= 400) return s;
  return undefined;
}

// A link's path is an address, not the message's words: `...#max-tokens-and-context-window-size` names no overflow.
const LINK_PATH = /\b(https?:\/\/[a-z0-9.-]+)[/?#][^\s"'<>)\]]*/gi;
const withoutLinkPaths = (text: string): string => (text.includes('://') ? text.replace(LINK_PATH, '$1') : text);

/** The text the rules read: best sources first, each already cut to 10 kB, all together bounded. */
function ruleText(signals: Signals): string {
  const parts: string[] = [];
  // most failures carry one text: no copy and sort (its work array) for nothing
  const texts = signals.texts.length > 1 ? [...signals.texts].sort(byRank) : signals.texts;
  for (const t of texts) parts.push(withoutLinkPaths(t.text));
  for (const c of signals.codes) parts.push(c.value);
  return parts.join('\n').slice(0, LIMITS.matchChars);
}

/**
 * Structured signals first (a specific provider code, then the HTTP status or a broad category),
 * text second: wording may refine the base only along the paths in BASE_REFINEMENTS /
 * CODE_REFINEMENTS, and decides alone when nothing structured was found.
 */
export function decide(signals: Signals, provider: string | undefined): Decision {
  return decideFor(signals, familyOf(provider, signals.headers));
}

/** The HTTP error status the rules go by: a structured field's, else the body's, else one named in prose. */
export function decidingStatus(signals: Signals): number | undefined {
  return firstError(signals.statuses) ?? firstError(signals.bodyStatuses) ?? firstError(signals.textStatuses);
}

/** decide, for the provider's family already found (familyOf). */
export function decideFor(signals: Signals, family: RuleTable | undefined): Decision {
  const status = decidingStatus(signals);
  const tables = tablesFor(family);
  const text = ruleText(signals);

  const strong = matchCode(tables, signals.codes, status, false);
  const byStatus = matchStatus(status);
  const weak = matchCode(tables, signals.codes, status, true);
  const baseReason = strong?.rule.reason ?? byStatus?.reason ?? weak?.rule.reason;

  const allowed: readonly FailureReason[] | '*' =
    baseReason === undefined ? '*' : strong ? (CODE_REFINEMENTS[baseReason] ?? []) : (BASE_REFINEMENTS[baseReason] ?? '*');
  const byText = matchText(tables, text, status, baseReason, allowed);
  // Money is money: every 402 is billing, whatever a code or the words say (a Retry-After still bounds it).
  const reason: FailureReason = status === 402 ? 'billing' : (byText?.reason ?? baseReason ?? 'unknown');

  // The rules that agree with the outcome say how wide and how retryable it is, most specific first.
  let scope: FailureScope | undefined;
  let retryable: boolean | undefined;
  let ignoresRetryHint = false;
  for (const r of [byText, strong?.rule, byStatus, weak?.rule]) {
    if (r === undefined || r.reason !== reason) continue;
    scope ??= r.scope;
    retryable ??= r.retryable;
    if ('ignoresRetryHint' in r && r.ignoresRetryHint === true) ignoresRetryHint = true;
  }
  if (scope === undefined && (reason === 'rate_limit' || reason === 'quota_exhausted')) scope = limitOwnerScope(text);
  scope ??= family?.defaultScopes?.[reason] ?? REASON_DEFAULTS[reason].scope;
  retryable ??= REASON_DEFAULTS[reason].retryable;
  // An unrecognised refusal (a 4xx nothing explains) is this (model, profile) saying no: move on, do not
  // call it again. A thrower's own "not retryable" likewise settles only what we could not classify.
  if (reason === 'unknown' && ((status !== undefined && status >= 400 && status < 500) || signals.retryableFlags.includes(false))) retryable = false;

  const decidedCode = (strong ?? weak)?.code;
  let code = decidedCode && !decidedCode.fromName ? decidedCode.value : undefined;
  if (code === undefined) for (const c of signals.codes) if (!c.fromName) { code = c.value; break; }
  code ??= decidedCode?.value;

  return {
    reason,
    scope,
    retryable,
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    text,
    ignoresRetryHint,
  };
}
