import { readFileSync } from 'node:fs';
import { FAILURE_REASONS, type FailureReason, type FailureScope } from '../../src/classify/types.js';
import type { Payload } from './world-types.js';

/** One labelled entry of test/fixtures/error-payloads.json. */
export interface FixturePayload extends Payload {
  id: string;
  provider: string;
  reason: FailureReason;
  scope: FailureScope;
}

// Only tests read it.
const FIXTURES_URL = new URL('../fixtures/error-payloads.json', import.meta.url);

let cache: readonly FixturePayload[] | undefined;

export function fixturePayloads(): readonly FixturePayload[] {
  // Entries without an HTTP response (status null: a broken stream, a refused connection) are not
  // payloads a scripted call can answer with; the synthetic network shapes below stand for them.
  cache ??= (JSON.parse(readFileSync(FIXTURES_URL, 'utf8')) as Array<Omit<FixturePayload, 'status'> & { status: number | null }>)
    .filter((f): f is FixturePayload => f.status !== null)
    .map((f) => ({
    id: f.id,
    provider: f.provider,
    status: f.status,
    headers: f.headers,
    body: f.body,
    reason: f.reason,
    scope: f.scope,
  }));
  return cache;
}

/**
 * Shapes for the reasons the fixtures do not cover (they come from sockets, the caller or a
 * broken stream rather than from a provider's JSON error), written the way proxies and
 * clients actually report them.
 */
const SYNTHETIC: Partial<Record<FailureReason, readonly Payload[]>> = {
  network: [
    { status: 502, headers: {}, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination' },
    { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' },
  ],
  timeout: [{ status: 504, headers: { 'content-type': 'text/html' }, body: '<html><head><title>504 Gateway Time-out</title></head></html>' }],
  aborted: [{ status: 499, headers: {}, body: 'client closed request' }],
  interrupted: [
    { status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n' },
  ],
  // What a host's call() may fail to read: a reply it then trips over in its own code.
  host_error: [{ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[]}' }],
  unknown: [
    { status: 520, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><title>520: Web server is returning an unknown error</title>' },
    { status: 418, headers: {}, body: "I'm a teapot" },
  ],
};

/** Real payloads labelled with `reason`, plus synthetic shapes where the fixtures have none. */
export function payloadsFor(reason: FailureReason): readonly (Payload & { id?: string; scope?: FailureScope })[] {
  const real = fixturePayloads().filter((f) => f.reason === reason);
  return [...real, ...(SYNTHETIC[reason] ?? [])];
}

/** Every reason has at least one payload shape: checked once so a fixture change cannot silently drop a reason. */
export function reasonsWithoutPayload(): FailureReason[] {
  return FAILURE_REASONS.filter((r) => payloadsFor(r).length === 0);
}
