/**
 * A cheap test that must pass before a rule's regex can match: for each top-level alternative of
 * the pattern, its longest run of plain characters that any match must contain. If none of them
 * occurs in the (lower-cased) text, the regex cannot match, so it is not run. Rules are long
 * alternations without a literal prefix, which the regex engine tries at every position: most
 * of a classification's time went there, on rules that had no chance.
 *
 * The filter is sound by construction: a run is cut at anything that is not one literal
 * character occurring exactly once (a class, an escape class, a group, an optional or repeated
 * item, an anchor), so every run is a substring of every match of its alternative. Lower-casing
 * both sides keeps it sound for case-insensitive patterns (ASCII letters only fold to ASCII).
 */

/** Shortest run worth filtering on: shorter ones occur everywhere (two CJK characters are a word). */
const MIN_RUN = 3;
const longEnough = (run: string): boolean => run.length >= MIN_RUN || (run.length === 2 && /[^\x00-\x7f]/.test(run));

const LITERAL_ESCAPES = new Set(['.', '/', '-', "'", '"', '\\', '(', ')', '[', ']', '{', '}', '|', '?', '*', '+', '^', '$', ' ', ',', ':', '`', '#', '&', '=', '!', '<', '>', '@', '%', '~', '_']);

/** Index just past a character class starting at `i` (`[`). */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j + 1;
  }
  return src.length;
}

/** Index just past a group starting at `i` (`(`), nested groups and classes included. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/** The top-level alternatives of a pattern source. */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') j = skipGroup(src, j) - 1;
    else if (c === '|') {
      out.push(src.slice(start, j));
      start = j + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** A quantifier at `i`: its length and whether it allows zero occurrences; undefined if none. */
function quantifierAt(src: string, i: number): { length: number; optional: boolean } | undefined {
  const c = src[i];
  let length = 0;
  let optional = false;
  if (c === '?' || c === '*') [length, optional] = [1, true];
  else if (c === '+') length = 1;
  else if (c === '{') {
    const m = /^\{(\d*)(,\d*)?\}/.exec(src.slice(i));
    if (!m) return undefined;
    length = m[0].length;
    optional = m[1] === '' || Number(m[1]) === 0;
  } else return undefined;
  if (src[i + length] === '?') length++; // lazy
  return { length, optional };
}

/** A character that matches only itself, folded alike by `toLowerCase` and a case-insensitive regex. */
function foldsSafely(ch: string): boolean {
  return ch.charCodeAt(0) < 128 || (ch.toLowerCase() === ch && ch.toUpperCase() === ch);
}

/** A disjunction of runs, one of which every match contains; scored by its shortest run. */
type Runs = readonly string[];

const score = (runs: Runs): number => Math.min(...runs.map((r) => r.length));

/** The better of two candidates: longer shortest run (rarer), then fewer runs. */
function better(a: Runs | null, b: Runs | null): Runs | null {
  if (!a) return b;
  if (!b) return a;
  const [sa, sb] = [score(a), score(b)];
  return sa !== sb ? (sa > sb ? a : b) : a.length <= b.length ? a : b;
}

/** What every match of a group must contain: one run of each of its alternatives, or null. */
function groupRuns(group: string): Runs | null {
  // `(?!...)`, `(?=...)`, `(?<=...)`, `(?<!...)` match nothing; only `(...)` and `(?:...)` consume.
  const inner = group.startsWith('(?:') ? group.slice(3, -1) : group.startsWith('(?') ? undefined : group.slice(1, -1);
  if (inner === undefined) return null;
  const options: string[] = [];
  for (const alt of alternatives(inner)) {
    const best = sequenceClauses(alt).reduce<Runs | null>((b, c) => better(b, c), null);
    if (!best) return null;
    options.push(...best);
  }
  return options.length > 0 ? [...new Set(options)] : null;
}

/**
 * What every match of one sequence (an alternative) contains, as clauses that must all hold:
 * each literal run of the sequence itself, and for each required group one run of its own.
 */
function sequenceClauses(seq: string): Runs[] {
  const clauses: Runs[] = [];
  let run = '';
  const end = (): void => {
    if (longEnough(run)) clauses.push([run]);
    run = '';
  };
  for (let i = 0; i < seq.length; ) {
    const c = seq[i] ?? '';
    let literal: string | undefined;
    let group: string | undefined;
    let next = i + 1;
    if (c === '\\') {
      const e = seq[i + 1] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(seq.slice(i + 2, i + 6))) {
        literal = String.fromCharCode(parseInt(seq.slice(i + 2, i + 6), 16));
        next = i + 6;
      } else {
        literal = LITERAL_ESCAPES.has(e) ? e : undefined; // \b \d \s \w \n ...: not one literal character
        next = i + 2;
      }
    } else if (c === '[') {
      next = skipClass(seq, i);
    } else if (c === '(') {
      next = skipGroup(seq, i);
      group = seq.slice(i, next);
    } else if (c !== '.' && c !== '^' && c !== '$') {
      literal = c;
    }
    const q = quantifierAt(seq, next);
    if (literal !== undefined && foldsSafely(literal)) {
      if (q?.optional) end();
      else {
        run += literal.toLowerCase();
        if (q) end(); // repeated: what follows is not adjacent to it in every match
      }
    } else {
      end();
      const runs = group !== undefined && !q?.optional ? groupRuns(group) : null;
      if (runs) clauses.push(runs);
    }
    i = next + (q?.length ?? 0);
  }
  end();
  return clauses;
}

/** Per alternative, the clauses every match of it satisfies: each clause one run of a set. */
export type Requirement = readonly (readonly Runs[])[];

const CACHE = new WeakMap<RegExp, Requirement | null>();

/**
 * What a text must contain for `re` to match: for some alternative, every clause (a run of each
 * set). `null` when some alternative requires nothing checkable (then the regex always runs).
 * Computed once per pattern.
 */
export function requiredLiterals(re: RegExp): Requirement | null {
  const cached = CACHE.get(re);
  if (cached !== undefined) return cached;
  const perAlternative = alternatives(re.source).map(sequenceClauses);
  const result = perAlternative.every((clauses) => clauses.length > 0) ? perAlternative : null;
  CACHE.set(re, result);
  return result;
}

/** Whether `re` may match a text whose lower-cased form is `lower`. */
export function mayMatch(re: RegExp, lower: string): boolean {
  const req = requiredLiterals(re);
  return req === null || req.some((clauses) => clauses.every((runs) => runs.some((run) => lower.includes(run))));
}

/**
 * The required runs of many patterns, found in one pass over a text (Aho–Corasick, as a table):
 * a classification scans its text once, and each rule then checks its own runs in a flag array
 * instead of searching the text for each of them.
 *
 * The automaton knows each run by its first PREFIX characters: a run that occurs has its prefix
 * occur, so the filter stays sound and the table small. ASCII characters step through a dense
 * table (one lookup per character); other characters (CJK runs) through a sparse map.
 */
const PREFIX = 16;

export class LiteralIndex {
  /**
   * Per pattern, its requirement flattened for a quick walk: alternatives, each as its clause
   * count then per clause its id count and ids. `null`: the pattern always runs.
   */
  private readonly plans = new Map<RegExp, Int32Array | null>();
  private readonly runIds = new Map<string, number>();
  /** Per prefix: the runs it stands for. */
  private readonly prefixes = new Map<string, number[]>();
  /** ASCII code → column of the dense table (0: a character no run holds). */
  private readonly column = new Uint8Array(128);
  private columns = 1;
  /** Dense transitions for ASCII, `state * columns + column` → state. */
  private delta = new Uint16Array(0);
  /** Trie edges on non-ASCII characters, `state * 65536 + code` → state, and failure links. */
  private readonly wide = new Map<number, number>();
  private readonly fail: number[] = [];
  /** Per state: the runs that end there (its own and its suffixes'), and whether there are any. */
  private readonly out: number[][] = [];
  private hasOut = new Uint8Array(0);
  /** Per run id: the patterns whose plan names it. */
  private readonly patternsOf: number[][] = [];
  private readonly patternIds = new Map<RegExp, number>();
  // Scratch state of the last scan, reused: allocating a typed array per scan cost more than the scan.
  private found = new Uint8Array(0);
  private touchedRuns: number[] = [];
  private possible = new Uint8Array(0);
  private touchedPatterns: number[] = [];
  readonly size: number;

  constructor(patterns: Iterable<RegExp>) {
    for (const re of patterns) {
      if (this.patternIds.has(re)) continue;
      const pid = this.patternIds.size;
      this.patternIds.set(re, pid);
      const req = requiredLiterals(re);
      const plan = req === null ? null : this.plan(req);
      this.plans.set(re, plan);
      if (plan) for (const id of new Set(req?.flat(2).map((run) => this.runIds.get(run) ?? -1))) (this.patternsOf[id] ??= []).push(pid);
    }
    this.size = this.runIds.size;
    this.found = new Uint8Array(this.size);
    this.possible = new Uint8Array(this.patternIds.size);
    this.build();
  }

  /** `[alternatives, (length of the alternative's own entry, clauses, (ids, id...)...)...]`. */
  private plan(req: Requirement): Int32Array {
    const flat: number[] = [req.length];
    for (const clauses of req) {
      const entry: number[] = [clauses.length];
      for (const runs of clauses) entry.push(runs.length, ...runs.map((run) => this.id(run)));
      flat.push(entry.length, ...entry);
    }
    return Int32Array.from(flat);
  }

  private id(run: string): number {
    let id = this.runIds.get(run);
    if (id === undefined) {
      id = this.runIds.size;
      this.runIds.set(run, id);
      const prefix = run.slice(0, PREFIX);
      const ids = this.prefixes.get(prefix) ?? [];
      ids.push(id);
      this.prefixes.set(prefix, ids);
    }
    return id;
  }

  private build(): void {
    for (const prefix of this.prefixes.keys()) {
      for (let i = 0; i < prefix.length; i++) {
        const c = prefix.charCodeAt(i);
        if (c < 128 && this.column[c] === 0) this.column[c] = this.columns++;
      }
    }
    // The trie, its edges keyed by character code.
    const edges: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    for (const [prefix, ids] of this.prefixes) {
      let state = 0;
      for (let i = 0; i < prefix.length; i++) {
        const c = prefix.charCodeAt(i);
        let to = edges[state]?.get(c);
        if (to === undefined) {
          to = edges.length;
          edges.push(new Map());
          ends.push([]);
          edges[state]?.set(c, to);
        }
        state = to;
      }
      ends[state]?.push(...ids);
    }
    const states = edges.length;
    const cols = this.columns;
    this.delta = new Uint16Array(states * cols);
    this.hasOut = new Uint8Array(states);
    this.fail.length = states;
    this.fail.fill(0);
    this.out.length = states;
    // Breadth-first: a state's failure link and transitions are known before its children's.
    const order: number[] = [0];
    for (let i = 0; i < order.length; i++) {
      const state = order[i] ?? 0;
      const f = this.fail[state] ?? 0;
      const out = state === 0 ? [] : [...(ends[state] ?? []), ...(this.out[f] ?? [])];
      this.out[state] = out;
      this.hasOut[state] = out.length > 0 ? 1 : 0;
      for (let c = 0; c < 128; c++) {
        const col = this.column[c] ?? 0;
        if (col === 0) continue;
        const to = edges[state]?.get(c);
        this.delta[state * cols + col] = to ?? (state === 0 ? 0 : (this.delta[f * cols + col] ?? 0));
      }
      for (const [c, to] of edges[state] ?? []) {
        order.push(to);
        if (c >= 128) this.wide.set(state * 65536 + c, to);
        // The child's failure link: the longest proper suffix that is also in the trie.
        if (state === 0) continue;
        let g = f;
        let next = edges[g]?.get(c);
        while (next === undefined && g !== 0) {
          g = this.fail[g] ?? 0;
          next = edges[g]?.get(c);
        }
        this.fail[to] = next ?? 0;
      }
    }
  }

  /**
   * Which runs may occur in `lower` (a lower-cased text): one flag per run id. The array is the
   * index's own scratch, valid until the next scan (classification is synchronous).
   */
  scan(lower: string): Uint8Array {
    const { column, delta, columns, wide, fail, out, hasOut, found, possible, patternsOf } = this;
    for (const id of this.touchedRuns) found[id] = 0;
    for (const pid of this.touchedPatterns) possible[pid] = 0;
    const touchedRuns: number[] = [];
    const touchedPatterns: number[] = [];
    let state = 0;
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      if (c < 128) {
        state = delta[state * columns + (column[c] as number)] as number;
      } else {
        let to = wide.get(state * 65536 + c);
        while (to === undefined && state !== 0) {
          state = fail[state] as number;
          to = wide.get(state * 65536 + c);
        }
        state = to ?? 0;
      }
      if (hasOut[state] === 1) {
        const ids = out[state] as number[];
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k] as number;
          if (found[id] === 1) continue;
          found[id] = 1;
          touchedRuns.push(id);
          for (const pid of patternsOf[id] ?? []) {
            if (possible[pid] === 0) {
              possible[pid] = 1;
              touchedPatterns.push(pid);
            }
          }
        }
      }
    }
    this.touchedRuns = touchedRuns;
    this.touchedPatterns = touchedPatterns;
    return found;
  }

  /**
   * Whether `re` may match the text of the last scan. A pattern none of whose runs occurred is
   * out at once (every alternative needs at least one); the others have their plan walked.
   */
  mayMatchLast(re: RegExp, plan: Int32Array | null): boolean {
    if (plan === null) return true;
    const pid = this.patternIds.get(re);
    return pid !== undefined && this.possible[pid] === 1 && LiteralIndex.satisfies(plan, this.found);
  }

  /** The plan `mayMatch` walks for `re`: look it up once per pattern, not per text. */
  planOf(re: RegExp): Int32Array | null {
    return this.plans.get(re) ?? null;
  }

  /** Whether `re` may match the text `found` was scanned from; a pattern it does not index may. */
  mayMatch(re: RegExp, found: Uint8Array): boolean {
    return LiteralIndex.satisfies(this.planOf(re), found);
  }

  /** Whether a plan holds for the runs `found`: some alternative with every clause present. */
  static satisfies(plan: Int32Array | null, found: Uint8Array): boolean {
    if (plan === null) return true;
    let next = 1;
    for (let a = plan[0] as number; a > 0; a--) {
      let p = next + 1;
      next = p + (plan[next] as number);
      let all = true;
      for (let clauses = plan[p++] as number; clauses > 0 && all; clauses--) {
        const end = p + 1 + (plan[p] as number);
        let any = false;
        for (let k = p + 1; k < end; k++) {
          if (found[plan[k] as number] === 1) {
            any = true;
            break;
          }
        }
        all = any;
        p = end;
      }
      if (all) return true;
    }
    return false;
  }
}
