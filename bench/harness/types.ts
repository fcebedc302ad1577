import type { ProfileSummary } from './profile.js';
import type { BenchOptions } from './options.js';

/** One thing the harness times: a run of a case, of its floor, or of a reference. */
export interface Contender {
  label: string;
  /**
   * One unit of work, awaited: one run, or a batch of `runsPerUnit` runs in flight at once.
   * It checks what it did (calls made, how the run ended) and throws when that is not what the
   * case claims, so a case cannot quietly measure something else.
   */
  unit(): Promise<void>;
  /** Warms the code up instead of `unit()` (a smaller batch, when a unit takes seconds); then one unit per block. */
  warmUp?(): Promise<void>;
  /** Runs in one unit (default 1). */
  runsPerUnit?: number;
  /** How many runs to hold in flight at once to weigh one (`inFlightRuns` if absent). */
  inFlightRuns?: number;
  /** Starts `count` runs that stop at their last provider call; settles once all of them wait there. */
  park?(count: number): Promise<Parked>;
  /** Its runs use SQLite in this process: count the statements one run executes (in a pass of its own). */
  countsStatements?: boolean;
}

export interface Parked {
  /** Lets the parked runs finish, and waits for them (they are checked like timed runs). */
  release(): Promise<void>;
}

/** A derived figure of a case: a value against an optional target. */
export interface Figure {
  /** Stable id, used by bench/targets.ts and --json. */
  id: string;
  label: string;
  value: number;
  unit: string;
}

export interface ContenderResult {
  label: string;
  /** Median over rounds of each round's µs per run. */
  usPerRun: number;
  /** Each round's µs per run, in round order (paired with the other contenders' rounds). */
  rounds: number[];
  kbPerInFlightRun?: number;
  /** How many runs were in flight when weighed. */
  inFlightRuns?: number;
  statementsPerRun?: number;
}

export interface CaseResult {
  name: string;
  title: string;
  subject: ContenderResult;
  floor: ContenderResult;
  others: ContenderResult[];
  /** Subject over floor, round by round: median and range. */
  ratio: { ratio: number; low: number; high: number };
  figures: Figure[];
  notes: string[];
  profile?: ProfileSummary;
}

export interface PreparedCase {
  /** Rounds for this case when it must differ from the options' (a case whose unit takes seconds). */
  rounds?: number;
  subject: Contender;
  floor: Contender;
  /** Further contenders timed in the same rounds (a reference the case is compared with). */
  others?: Contender[];
  /** Figures derived from the timed results (ratios to a reference, per-candidate costs, memory per turn). */
  figures?(r: Omit<CaseResult, 'figures' | 'notes'>): Figure[] | Promise<Figure[]>;
  notes?: string[];
  close(): Promise<void>;
}

export type Prepared = PreparedCase | { skipped: string };

export interface BenchCase {
  /** `group/variant`, e.g. `dead-chain/128`; --case matches it or a prefix of it. */
  name: string;
  title: string;
  prepare(o: BenchOptions): Promise<Prepared>;
}
