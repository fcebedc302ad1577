export { classifyError } from './classify-error.js';
export { FAILURE_REASONS, FAILURE_SCOPES } from './types.js';
export type { Classification, ClassifyContext, Classifier, FailureReason, FailureScope } from './types.js';
