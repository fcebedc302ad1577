// The one public entry of llm-failover. Everything not exported here is internal.
export { createRunActor } from './create-run-actor.js';
export type { RunActor, RunActorOptions } from './create-run-actor.js';
export { streamReply } from './reply-stream.js';
export type { ReplyChunk } from './reply-stream.js';
export { runMachine } from '../machines/run.machine.js';
export type { RunOutput, SucceededRunOutput, FailedRunOutput, RunInput, AgentInput, RunCommand } from '../machines/run-types.js';

export { classifyError, createClassifier, isClassification, scrubSecrets } from './classify/index.js';
export { FAILURE_REASONS, FAILURE_SCOPES } from './classify/types.js';
export type { Classification, ClassifyContext, Classifier, FailureReason, FailureScope } from './classify/types.js';

export { openSqliteStore, openPostgresStore, LATEST_SCHEMA_VERSION } from './store/index.js';
export type {
  RunStore,
  StoreOperations,
  SessionStore,
  SqliteSessionStore,
  SqliteStoreOptions,
  PostgresSessionStore,
  PostgresStoreOptions,
  SynchronousMode,
  IntegrityReport,
  Lease,
  WaitOptions,
  OpenRunArgs,
  OpenedRun,
  CommitRunArgs,
  FailRunArgs,
  UncommittedTurns,
  OrphanRun,
  RunRecord,
  RunSummary,
  RunStatus,
  SessionSummary,
  SessionDetail,
  ListSessionsQuery,
  ListRunsQuery,
  CooldownMatch,
  PruneArgs,
  PruneResult,
} from './store/index.js';

export { explainChain } from './explain/index.js';
export type { ExplainChainOptions, ChainExplanation, CandidateExplanation, CandidateVerdict, ProfileExplanation } from './explain/index.js';

export { DEFAULT_POLICY } from './policy/run-policy.js';
export type { RunPolicy, PolicyOverrides } from './policy/run-policy.js';
export { REASON_RULES } from './policy/reason-rules.js';
export type { ReasonRule, Move } from './policy/reason-rules.js';

export { createEventBus } from './events.js';
export type {
  RunEventBase,
  RunEventTarget,
  RunDecisionDetail,
  RunEvent,
  RunEventType,
  RunEventOf,
  RunEventMap,
  RunEventBus,
  SkipReason,
} from './events.js';

export {
  LlmFailoverError,
  isLlmFailoverError,
  ConfigError,
  LeaseLostError,
  SessionBusyError,
  StoreError,
  ToolAbortError,
} from './errors.js';
export type { ErrorCode, StoreErrorCode, UncommittedReply } from './errors.js';
export { FallbackExhaustedError, DeadlineExceededError, RequestRejectedError, RunAbortedError } from './run-errors.js';
export type { CandidateReport, RunError, RunErrorCode, StoreFailure } from './run-errors.js';

export { fromAiSdk, ProviderResponseError, startEmulator } from './providers/index.js';
export type {
  AiSdkModelResolver,
  AiSdkModels,
  FromAiSdkOptions,
  AiSdkLanguageModel,
  ProviderResponseErrorCode,
  Emulator,
  EmulatorOptions,
  Scenario,
  ScenarioRule,
  ScenarioRequest,
  Step as EmulatorStep,
  ReplyStep,
  ToolCallStep,
  EmulatedToolCall,
  SaveFile,
  ErrorStep,
  HangStep,
  ResetStep,
  DropStep,
  StallStep,
  BlockedStep,
  AnswerShape,
  MalformedStep,
  MalformedKind,
  ErrorPayload,
  RecordedRequest,
  RecordedOutcome,
  RecordedEnd,
} from './providers/index.js';

export { messageText } from './message-types.js';
export { systemClock } from './runtime.js';
export type { Logger, RunClock } from './runtime.js';
export type {
  AttemptRecord,
  CallFn,
  CallRequest,
  CallResult,
  Candidate,
  CooldownEntry,
  CooldownKey,
  Decision,
  DecisionKind,
  Message,
  Role,
  ServedBy,
  StepRecord,
  Turn,
  Usage,
  SystemMessage,
  UserMessage,
  AssistantMessage,
  ToolMessage,
  MessagePart,
  UserPart,
  AssistantPart,
  ToolPart,
  TextPart,
  ImagePart,
  FilePart,
  ReasoningPart,
  ToolCallPart,
  ToolResultPart,
  ToolResultOutput,
  ToolOutputContentItem,
  ToolApprovalRequestPart,
  ToolApprovalResponsePart,
  ProviderOptions,
  DataContent,
  JsonValue,
  JsonObject,
  AgentTool,
  ToolChoice,
  ToolDefinition,
  ToolExecutionContext,
  ToolSchema,
} from './types.js';
