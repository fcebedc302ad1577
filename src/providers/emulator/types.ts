/** The wire formats the emulator speaks, chosen by the request path. */
export type EmulatorApi = 'openai-chat' | 'anthropic-messages' | 'gemini-generate';

/**
 * A raw HTTP answer, as sent. Entries of `error-payloads.json` have this shape (their extra
 * fields are ignored), so a fixture can be passed as is.
 */
export interface ErrorPayload {
  status: number;
  headers?: Readonly<Record<string, string>>;
  body: string;
}

/** The kinds of broken body a real endpoint or a proxy in front of it sends. */
export type MalformedKind = 'non-json' | 'truncated' | 'html' | 'empty';

/** Text of a reply: a string (split into word-sized deltas when streamed) or the exact deltas. */
export type ReplyText = string | readonly string[];

/**
 * How a successful answer is paced and dressed. Shared by the steps that start one (reply,
 * drop, stall), so faults compose: a slow first token, then a stall, for instance.
 */
export interface AnswerShape {
  /** Wait before the response headers. */
  latencyMs?: number;
  /** Wait between streamed deltas. */
  deltaDelayMs?: number;
  /**
   * Streaming: headers (and the format's opening events) go out at once, the first text delta
   * only after this wait, so the connection looks alive but no token comes. JSON: the whole
   * answer waits this long (a non-streamed answer has no first token before its last).
   */
  firstTokenDelayMs?: number;
  /**
   * Streaming only: after this many deltas, one extra event whose JSON is cut in half; the
   * stream then goes on normally. What a buggy proxy or a provider's serializer sends.
   */
  malformedChunkAfterDeltas?: number;
  /** The model the answer says served it (default: the requested one), as when an alias resolves to a version. */
  responseModel?: string;
}

/** A successful answer, as JSON or as SSE deltas depending on the request. */
export interface ReplyStep extends AnswerShape {
  reply: ReplyText;
  /**
   * Streaming only: leave out the end marker (OpenAI's `data: [DONE]`, Anthropic's
   * `message_stop`; Gemini streams have none) and close the connection cleanly after the
   * finish. The answer itself is complete.
   */
  noSentinel?: boolean;
}

/** A tool call the emulated model makes. */
export interface EmulatedToolCall {
  name: string;
  /** The call's arguments (sent as the format wants them: a JSON string for OpenAI, an object for Anthropic and Gemini). */
  input: Readonly<Record<string, unknown>>;
  /** Default: `call_emu_<seq>_<i>` (OpenAI), `toolu_emu_<seq>_<i>` (Anthropic); Gemini's calls carry no id. */
  id?: string;
}

/**
 * A successful answer that calls tools, in the format's own shape (OpenAI `tool_calls` with
 * `finish_reason: "tool_calls"`, Anthropic `tool_use` blocks with `stop_reason: "tool_use"`,
 * Gemini `functionCall` parts), as JSON or streamed (the arguments as one delta per call).
 * `reply` is text said before the calls.
 */
export interface ToolCallStep extends AnswerShape {
  toolCalls: readonly EmulatedToolCall[];
  reply?: ReplyText;
}

/** Sends `error` verbatim: its status, headers and body (an HTTP 200 SSE body included). */
export interface ErrorStep {
  error: ErrorPayload;
  latencyMs?: number;
}

/** Accepts the request and never answers a byte (headers never sent): only the client's timeout or abort ends it. */
export interface HangStep {
  hang: true;
}

/** Reads the request, then destroys the socket before any byte of the response: a reset before headers. */
export interface ResetStep {
  reset: true;
  latencyMs?: number;
}

/**
 * Starts a successful answer and destroys the socket after `dropAfterDeltas` deltas: a cut
 * mid-answer. On a streaming request those are SSE deltas; on a JSON request the emulator
 * sends the headers and the first half of the body, whatever the number.
 */
export interface DropStep extends AnswerShape {
  dropAfterDeltas: number;
  reply?: ReplyText;
}

/**
 * Starts a successful answer and stops sending after `stallAfterDeltas` deltas, keeping the
 * connection open: only the client (or `close()`) ends it. On a JSON request: the headers
 * and the first half of the body, then silence.
 */
export interface StallStep extends AnswerShape {
  stallAfterDeltas: number;
  reply?: ReplyText;
}

/**
 * An HTTP 200 that refuses to answer, in the format's own words: Gemini's
 * `promptFeedback.blockReason` with no candidates, OpenAI's `finish_reason: "content_filter"`,
 * Anthropic's `stop_reason: "refusal"`, each with no text.
 */
export interface BlockedStep {
  blocked: true;
  /** Gemini's block reason (default `SAFETY`); the other formats have no such field. */
  blockReason?: string;
  latencyMs?: number;
}

/**
 * A broken body. Status defaults to 502 for `html` (a proxy's error page) and to 200 for the
 * others (the endpoint "succeeded" but its body is unusable). On a streaming request the body
 * is shaped as a stream: non-JSON data lines, a stream cut mid-event with no finish, etc.
 */
export interface MalformedStep {
  malformed: MalformedKind;
  status?: number;
  latencyMs?: number;
}

export type Step = ReplyStep | ToolCallStep | ErrorStep | HangStep | ResetStep | DropStep | StallStep | BlockedStep | MalformedStep;

/** What a scenario sees of a request when it picks the step. */
export interface ScenarioRequest {
  provider: string;
  model: string | undefined;
  keyId: string | undefined;
  api: EmulatorApi;
  stream: boolean;
  /** 1-based arrival number over the whole emulator. */
  seq: number;
  /** Arrival time on the emulator's clock (`options.now`). */
  at: number;
}

/**
 * A script for the requests it matches (every given field must equal the request's). Each
 * rule keeps its own position: its n-th matching request gets `steps[n-1]`, and once the
 * script runs out its last step repeats.
 */
export interface ScenarioRule {
  provider?: string;
  model?: string;
  keyId?: string;
  /**
   * The rule matches only requests that arrive at or after `from` and before `until`, on the
   * emulator's clock (`options.now`): "down from t1 to t2, then healthy" is such a rule in
   * front of a healthy one. Inject `now` to share a simulated clock with the engine.
   */
  from?: number;
  until?: number;
  steps: readonly Step[];
}

/**
 * Rules are tried in order and the first match wins, so put specific rules (one key, one
 * model) before general ones. A request no rule matches gets the emulator's `fallback` step.
 * A function instead decides every request itself (benchmarks, generated load).
 */
export type Scenario = readonly ScenarioRule[] | ((req: ScenarioRequest) => Step);

export interface EmulatorOptions {
  scenario?: Scenario;
  /** 0 (default) picks a free port. The emulator listens on 127.0.0.1 only. */
  port?: number;
  /**
   * API key → key id. Records carry the id, never the key. When given, a request whose key is
   * missing or not listed gets the format's 401 and reaches no scenario. When absent, any key
   * is accepted and recorded as `keyId: undefined`.
   */
  keys?: Readonly<Record<string, string>>;
  /** For requests no rule matches. Default: a reply naming the provider and model. */
  fallback?: Step | ((req: ScenarioRequest) => Step);
  /** Clock for the records and for rules' `from`/`until`. Default `Date.now`. */
  now?: () => number;
}

/** What the emulator did with a request. */
export type RecordedOutcome =
  | 'reply'
  | 'error'
  | 'hang'
  | 'reset'
  | 'dropped'
  | 'stalled'
  | 'blocked'
  | 'malformed'
  | 'unauthorized'
  | 'invalid_request';

/** How the exchange ended: still open, answered in full, cut by us, or abandoned by the client. */
export type RecordedEnd = 'pending' | 'completed' | 'server_dropped' | 'client_closed';

export interface RecordedRequest {
  seq: number;
  provider: string;
  api: EmulatorApi;
  model: string | undefined;
  /** The id the `keys` option maps the request's API key to. The key itself is never kept. */
  keyId: string | undefined;
  stream: boolean;
  /**
   * The request's messages, flattened to text, system prompt first. Tool calls and results are
   * written as `[tool-call name {"arg":1}]` and `[tool-result id: text]`.
   */
  prompt: { role: string; text: string }[];
  /** The request body as the client sent it (parsed JSON): what a test checks a format's tool history in. */
  body: unknown;
  outcome: RecordedOutcome;
  /** The HTTP status sent, once headers went out. */
  status: number | undefined;
  end: RecordedEnd;
  receivedAt: number;
  endedAt: number | undefined;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /**
   * `<url>/<provider>/v1`: the `baseURL` for an AI SDK provider (`chat/completions`,
   * `messages` or `models/<model>:generateContent` below it).
   */
  baseUrl(provider: string): string;
  /** Copies of the records so far, in arrival order. */
  requests(): RecordedRequest[];
  /**
   * Connections that carried a request and are still open: 0 once every exchange is over,
   * so a leak (a hung request whose socket the client never closed) shows here. Every
   * response closes its connection, so idle keep-alive sockets never count.
   */
  openConnections(): number;
  /**
   * Every TCP socket open at the server, including spare connections an HTTP client pool
   * opened without sending a request on them (undici does so after an aborted request and
   * closes them after its own idle timeout).
   */
  openSockets(): number;
  /** Resolves once openConnections() is 0, or rejects after `timeoutMs` (default 5000). */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  /** Destroys open connections (hung ones included) and stops listening. Safe to call twice. */
  close(): Promise<void>;
}
