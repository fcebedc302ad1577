export { fromAiSdk, type AiSdkModelResolver, type AiSdkModels, type FromAiSdkOptions } from './from-ai-sdk.js';
export { toPrompt } from './to-prompt.js';
export { historyForTarget, toolCallIdFor, type HistoryTarget } from './history-for-target.js';
export type { SaveFile } from './response-message.js';
export { ProviderResponseError, type ProviderResponseErrorCode } from './provider-response-error.js';
export type {
  AiSdkCallOptions,
  AiSdkExtraCallOptions,
  AiSdkLanguageModel,
  AiSdkPromptMessage,
  AiSdkSpecVersion,
} from './language-model.js';
