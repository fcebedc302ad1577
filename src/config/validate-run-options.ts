import { ConfigError } from '../errors.js';
import { shareProviders } from '../policy/chain-providers.js';
import { resolvePolicy, type RunPolicy } from '../policy/run-policy.js';
import type { RunActorOptions } from '../run-actor-options.js';
import type { Candidate, Message } from '../types.js';
import { checkText } from '../store/text-checks.js';
import { parseMessages } from './parse-messages.js';
import { parseMaxSteps, parseToolChoice, parseTools, type ParsedTools } from './parse-tools.js';
import type { ToolChoice } from '../tool-types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

function nonEmptyString(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(field, `must be a non-empty string, got ${kind(v)}`);
  checkText(field, v);
  return v;
}

/** Distinct entries remembered at most: a host uses a few chains; a bound keeps a host that makes up entries from growing the table. */
const MAX_REMEMBERED = 4096;

/**
 * Candidates of chain entries already parsed, for entries whose provider has the default profile
 * list: a host passes the same chain run after run, and every run in flight held its own copies
 * (its candidates, their `provider:default` lists and strings: about half a kilobyte a run).
 * Frozen, so sharing them between runs is safe.
 */
const defaultCandidates = new Map<string, Candidate>();
const defaultLists = new Map<string, readonly string[]>();

function remember<V>(table: Map<string, V>, key: string, value: V): V {
  if (table.size >= MAX_REMEMBERED) table.clear();
  table.set(key, value);
  return value;
}

/** A provider's default profile list (`provider:default`), one frozen array per provider. */
function defaultList(provider: string): readonly string[] {
  return defaultLists.get(provider) ?? remember(defaultLists, provider, Object.freeze([`${provider}:default`]));
}

/**
 * Chains parsed lately without a profile map, with their entries as given: a host passes the same
 * chain run after run (often the very array), and parsing it checked, split and looked up every
 * entry and built a set of them, per run (a 128-candidate chain, ~128 of each). An equal chain
 * (the same strings in the same order) gets the same frozen candidate list, and its providers.
 */
interface ParsedChain {
  entries: readonly string[];
  candidates: readonly Candidate[];
}
const RECENT_CHAINS = 8;
const recentChains: ParsedChain[] = [];

function recentChain(chain: readonly unknown[]): ParsedChain | undefined {
  for (let k = 0; k < recentChains.length; k++) {
    const known = recentChains[k]!;
    const entries = known.entries;
    if (entries.length !== chain.length) continue;
    let i = 0;
    while (i < entries.length && entries[i] === chain[i]) i++;
    if (i === entries.length) return known;
  }
  return undefined;
}

/** `"provider/model"` entries (the model part may itself hold slashes) plus each provider's profiles. */
export function parseChain(chain: unknown, profiles: unknown): readonly Candidate[] {
  if (!Array.isArray(chain) || chain.length === 0) throw new ConfigError('chain', 'must be a non-empty array of "provider/model" strings');
  if (profiles === undefined) {
    const known = recentChain(chain);
    if (known) return known.candidates;
    // parsed (and checked) once; every candidate is a remembered default one (no profile map)
    const candidates = Object.freeze(parseEntries(chain, undefined));
    const providers = Object.freeze([...new Set(candidates.map((c) => c.provider))]);
    if (recentChains.length >= RECENT_CHAINS) recentChains.pop();
    recentChains.unshift({ entries: Object.freeze([...chain] as string[]), candidates });
    shareProviders(candidates, providers);
    return candidates;
  }
  return parseEntries(chain, profiles);
}

function parseEntries(chain: readonly unknown[], profiles: unknown): Candidate[] {
  if (profiles !== undefined && !isObject(profiles)) throw new ConfigError('profiles', `must be an object of provider → profile ids, got ${kind(profiles)}`);
  const profileMap = (profiles ?? {}) as Record<string, unknown>;
  // own keys only: a provider named "constructor" or "toString" has no list unless one is given
  const listedFor = (provider: string): unknown => (Object.hasOwn(profileMap, provider) ? profileMap[provider] : undefined);
  const seen = new Set<string>();
  // One list per provider: a long chain names the same providers many times.
  const listOf = new Map<string, readonly string[]>();
  const candidates = chain.map((entry, i): Candidate => {
    if (typeof entry !== 'string') throw new ConfigError(`chain[${i}]`, `must be a "provider/model" string, got ${kind(entry)}`);
    if (seen.has(entry)) throw new ConfigError(`chain[${i}]`, `duplicates candidate "${entry}"`);
    seen.add(entry);
    const known = defaultCandidates.get(entry);
    // a remembered entry was checked when it was first parsed; its provider may have a list now
    if (known && listedFor(known.provider) === undefined) return known;
    checkText(`chain[${i}]`, entry);
    const slash = entry.indexOf('/');
    const provider = entry.slice(0, slash);
    const model = entry.slice(slash + 1);
    if (slash <= 0 || model === '' || /\s/.test(entry)) throw new ConfigError(`chain[${i}]`, `must look like "provider/model", got ${JSON.stringify(entry.slice(0, 80))}`);
    const listed = listedFor(provider);
    if (listed === undefined) return remember(defaultCandidates, entry, Object.freeze({ provider, model, profiles: defaultList(provider) }));
    let list = listOf.get(provider);
    if (!list) listOf.set(provider, (list = profileList(provider, listed)));
    return { provider, model, profiles: list };
  });
  // Providers this chain does not use may be listed (a host keeps one map for all its chains):
  // they are unused, but a bad list is still a bad option.
  for (const provider in profileMap) if (Object.hasOwn(profileMap, provider) && !listOf.has(provider)) profileList(provider, profileMap[provider]);
  return candidates;
}

function profileList(provider: string, v: unknown): readonly string[] {
  if (v === undefined) return defaultList(provider);
  const field = `profiles.${provider}`;
  if (!Array.isArray(v) || v.length === 0) throw new ConfigError(field, 'must be a non-empty array of profile ids');
  const ids = v.map((id, i) => nonEmptyString(`${field}[${i}]`, id));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new ConfigError(field, `lists profile "${dup}" twice`);
  return Object.freeze(ids);
}

function requireMethods(field: string, v: unknown, methods: readonly string[]): void {
  if (!isObject(v) && typeof v !== 'function') throw new ConfigError(field, `must be an object, got ${kind(v)}`);
  for (const m of methods) {
    if (typeof (v as Record<string, unknown>)[m] !== 'function') throw new ConfigError(field, `must have a ${m}() method`);
  }
}

export interface ValidatedOptions {
  sessionId: string;
  messages: Message[];
  chain: readonly Candidate[];
  policy: Readonly<RunPolicy>;
  tools: ParsedTools | undefined;
  toolChoice: ToolChoice | undefined;
  maxSteps: number;
}

// Typed against the options interface, so an option added there and not here fails to compile.
const KNOWN_OPTIONS: Record<keyof RunActorOptions, true> = {
  sessionId: true,
  messages: true,
  chain: true,
  profiles: true,
  call: true,
  store: true,
  policy: true,
  clock: true,
  logger: true,
  inspect: true,
  signal: true,
  events: true,
  classify: true,
  runId: true,
  stream: true,
  tools: true,
  toolChoice: true,
  maxSteps: true,
};

function rejectUnknownOptions(o: Record<string, unknown>): void {
  // for-in (own keys in Object.keys' order, then inherited ones, skipped): no array of the keys every run
  for (const key in o) {
    if (!Object.hasOwn(o, key) || Object.hasOwn(KNOWN_OPTIONS, key)) continue;
    const near = Object.keys(KNOWN_OPTIONS).find((known) => known.toLowerCase() === key.toLowerCase() || editDistance(known, key) <= 2);
    throw new ConfigError(key, `is not an option of createRunActor${near ? ` (did you mean \`${near}\`?)` : ''}`);
  }
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

// the methods each option must have, made once rather than as array literals per run
const STORE_METHODS = ['openRun', 'commitRun', 'failRun', 'renewLease', 'activeCooldowns', 'putCooldown', 'clearCooldowns'] as const;
const CLOCK_METHODS = ['now', 'setTimeout', 'clearTimeout'] as const;
const LOGGER_METHODS = ['info', 'debug', 'warn', 'error'] as const;
const EVENTS_METHODS = ['emit'] as const;
const SIGNAL_METHODS = ['addEventListener', 'removeEventListener'] as const;

/** Throws ConfigError naming the first bad field; returns the parsed parts the engine needs. */
export function validateRunOptions(o: unknown): ValidatedOptions {
  if (!isObject(o)) throw new ConfigError('options', `must be an object, got ${kind(o)}`);
  rejectUnknownOptions(o);
  const sessionId = nonEmptyString('sessionId', o.sessionId);
  const messages = parseMessages(o.messages);
  const chain = parseChain(o.chain, o.profiles);
  if (typeof o.call !== 'function') throw new ConfigError('call', `must be a function (req) => Promise<{ content } | { messages }>, got ${kind(o.call)}`);
  const policy = resolvePolicy(o.policy);
  if (o.store !== undefined) requireMethods('store', o.store, STORE_METHODS);
  if (o.clock !== undefined) requireMethods('clock', o.clock, CLOCK_METHODS);
  if (o.logger !== undefined) requireMethods('logger', o.logger, LOGGER_METHODS);
  if (o.events !== undefined) requireMethods('events', o.events, EVENTS_METHODS);
  if (o.signal !== undefined) requireMethods('signal', o.signal, SIGNAL_METHODS);
  if (o.classify !== undefined && typeof o.classify !== 'function') throw new ConfigError('classify', `must be a function, got ${kind(o.classify)}`);
  if (o.runId !== undefined) nonEmptyString('runId', o.runId);
  if (o.stream !== undefined && typeof o.stream !== 'boolean') throw new ConfigError('stream', `must be a boolean, got ${kind(o.stream)}`);
  const tools = parseTools(o.tools);
  const toolChoice = parseToolChoice(o.toolChoice, tools);
  const maxSteps = parseMaxSteps(o.maxSteps, tools);
  return { sessionId, messages, chain, policy, tools, toolChoice, maxSteps };
}
