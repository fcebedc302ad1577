export { fromAiSdk, type AiSdkModelResolver, type AiSdkModels, type FromAiSdkOptions } from './from-ai-sdk.js';
export { toPrompt } from './to-prompt.js';
export { ProviderResponseError, type ProviderResponseErrorCode } from './provider-response-error.js';
export type {
  AiSdkCallOptions,
  AiSdkExtraCallOptions,
  AiSdkLanguageModel,
  AiSdkPromptMessage,
  AiSdkSpecVersion,
} from './language-model.js';
