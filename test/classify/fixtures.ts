import { readFileSync } from 'node:fs';
import type { FailureReason, FailureScope } from '../../src/classify/index.js';

// The repository's own copies (test/fixtures/README.md says where each comes from).
const fixtureFile = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

export interface Payload {
  id: string;
  provider: string;
  /** null when no HTTP response came back (a broken stream, a refused connection). */
  status: number | null;
  headers: Record<string, string>;
  body: string | object;
  reason: FailureReason;
  scope: FailureScope;
  /** Whether the provider documents that calling the same candidate again may succeed (labelled from batch 4 on). */
  retryable?: boolean;
  /** The wait the provider asked for, in ms. */
  retryAfterMs?: number;
  /** A limit that waiting never frees (a quota of 0): no retry timing may come out. */
  neverFrees?: boolean;
  /**
   * The held-out batch the entry came in with: labelled before the classifier ever ran on it, measured
   * (test/fixtures/held-out-results.json), and only then added to the corpus.
   */
  heldOut?: number;
  /** Why an entry kept from an earlier corpus now carries another label. */
  relabelled?: string;
  note?: string;
  source: string;
}

export interface PeerCase {
  source: string;
  provider: string | null;
  status: number | null;
  code: string | null;
  message: string;
  expected_reason: string;
}

export const loadPayloads = (): Payload[] => fixtureFile('error-payloads.json') as Payload[];

/** What each held-out batch scored the day it was measured, before its misses were fixed, and after. */
export interface HeldOutResult {
  batch: number;
  entries: number;
  providers: number;
  /** The commit that added the batch, labels and all, before the classifier ran on it. */
  labelledIn: string;
  before: { reason: number; scope: number; wrongTerminal: number };
  after: { reason: number; scope: number; wrongTerminal: number };
  /** Labels corrected after the first run (each entry says why in `relabelled`); `before` keeps the labels as committed. */
  relabelled?: number;
}

export const loadHeldOutResults = (): HeldOutResult[] => fixtureFile('held-out-results.json') as HeldOutResult[];
export const loadPeerCases = (): PeerCase[] => fixtureFile('openclaw-error-cases.json') as PeerCase[];

/** The fixtures README's mapping: OpenClaw's label → our reasons that agree; absent = not scored. */
export const PEER_AGREEMENT: Readonly<Record<string, readonly FailureReason[]>> = {
  rate_limit: ['rate_limit', 'quota_exhausted'],
  billing: ['billing', 'quota_exhausted'],
  auth: ['auth'],
  auth_permanent: ['auth'],
  overloaded: ['overloaded'],
  server_error: ['server_error', 'overloaded'],
  timeout: ['timeout', 'network', 'server_error'],
  context_overflow: ['context_overflow'],
  format: ['bad_request'],
  model_not_found: ['model_not_found'],
};

/** A peer case as a host would throw it: an Error carrying the status and code OpenClaw saw. */
export function peerError(c: PeerCase): Error {
  return Object.assign(new Error(c.message), c.status === null ? {} : { status: c.status }, c.code === null ? {} : { code: c.code });
}

export const peerKey = (c: PeerCase): string => `${c.provider ?? '-'} ${c.status ?? '-'} ${c.code ?? '-'} ${c.message}`;
