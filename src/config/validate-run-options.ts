import { ConfigError } from '../errors.js';
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

/** `"provider/model"` entries (the model part may itself hold slashes) plus each provider's profiles. */
export function parseChain(chain: unknown, profiles: unknown): Candidate[] {
  if (!Array.isArray(chain) || chain.length === 0) throw new ConfigError('chain', 'must be a non-empty array of "provider/model" strings');
  if (profiles !== undefined && !isObject(profiles)) throw new ConfigError('profiles', `must be an object of provider → profile ids, got ${kind(profiles)}`);
  const profileMap = (profiles ?? {}) as Record<string, unknown>;
  const seen = new Set<string>();
  // One list per provider: a long chain names the same providers many times.
  const listOf = new Map<string, readonly string[]>();
  const candidates = chain.map((entry, i) => {
    if (typeof entry !== 'string') throw new ConfigError(`chain[${i}]`, `must be a "provider/model" string, got ${kind(entry)}`);
    const { provider, model } = splitEntry(entry, i);
    if (seen.has(entry)) throw new ConfigError(`chain[${i}]`, `duplicates candidate "${entry}"`);
    seen.add(entry);
    let profiles = listOf.get(provider);
    if (!profiles) listOf.set(provider, (profiles = profileList(provider, profileMap[provider])));
    return { provider, model, profiles };
  });
  // Providers this chain does not use may be listed (a host keeps one map for all its chains):
  // they are unused, but a bad list is still a bad option.
  for (const [provider, list] of Object.entries(profileMap)) profileList(provider, list);
  return candidates;
}

// A host sends the same chain run after run: its entries' parts and default profile lists are
// shared by the runs (bounded, like any cache of caller input) instead of made again by each,
// which kept its own copies of the same strings for as long as it was in flight.
const SHARED_MAX = 1_000;
const splitEntries = new Map<string, { provider: string; model: string }>();
const defaultProfiles = new Map<string, readonly string[]>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= SHARED_MAX) cache.clear();
  cache.set(key, value);
  return value;
}

/** An entry's provider and model; checking an entry depends on its text only, so a known entry is not checked again. */
function splitEntry(entry: string, i: number): { provider: string; model: string } {
  const known = splitEntries.get(entry);
  if (known) return known;
  checkText(`chain[${i}]`, entry);
  const slash = entry.indexOf('/');
  const provider = entry.slice(0, slash);
  const model = entry.slice(slash + 1);
  if (slash <= 0 || model === '' || /\s/.test(entry)) throw new ConfigError(`chain[${i}]`, `must look like "provider/model", got ${JSON.stringify(entry.slice(0, 80))}`);
  return remember(splitEntries, entry, { provider, model });
}

function profileList(provider: string, v: unknown): readonly string[] {
  if (v === undefined) return defaultProfiles.get(provider) ?? remember(defaultProfiles, provider, Object.freeze([`${provider}:default`]));
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
  chain: Candidate[];
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
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(KNOWN_OPTIONS, key)) continue;
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

/** Throws ConfigError naming the first bad field; returns the parsed parts the engine needs. */
export function validateRunOptions(o: unknown): ValidatedOptions {
  if (!isObject(o)) throw new ConfigError('options', `must be an object, got ${kind(o)}`);
  rejectUnknownOptions(o);
  const sessionId = nonEmptyString('sessionId', o.sessionId);
  const messages = parseMessages(o.messages);
  const chain = parseChain(o.chain, o.profiles);
  if (typeof o.call !== 'function') throw new ConfigError('call', `must be a function (req) => Promise<{ content } | { messages }>, got ${kind(o.call)}`);
  const policy = resolvePolicy(o.policy);
  if (o.store !== undefined) requireMethods('store', o.store, ['openRun', 'commitRun', 'failRun', 'renewLease', 'activeCooldowns', 'putCooldown', 'clearCooldowns']);
  if (o.clock !== undefined) requireMethods('clock', o.clock, ['now', 'setTimeout', 'clearTimeout']);
  if (o.logger !== undefined) requireMethods('logger', o.logger, ['info', 'debug', 'warn', 'error']);
  if (o.events !== undefined) requireMethods('events', o.events, ['emit']);
  if (o.signal !== undefined) requireMethods('signal', o.signal, ['addEventListener', 'removeEventListener']);
  if (o.classify !== undefined && typeof o.classify !== 'function') throw new ConfigError('classify', `must be a function, got ${kind(o.classify)}`);
  if (o.runId !== undefined) nonEmptyString('runId', o.runId);
  if (o.stream !== undefined && typeof o.stream !== 'boolean') throw new ConfigError('stream', `must be a boolean, got ${kind(o.stream)}`);
  const tools = parseTools(o.tools);
  const toolChoice = parseToolChoice(o.toolChoice, tools);
  const maxSteps = parseMaxSteps(o.maxSteps, tools);
  return { sessionId, messages, chain, policy, tools, toolChoice, maxSteps };
}
