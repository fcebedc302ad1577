export { classifyError } from './classify-error.js';
export { createClassifier } from './create-classifier.js';
export { isClassification } from './is-classification.js';
export { scrubSecrets } from './scrub-secrets.js';
export { FAILURE_REASONS, FAILURE_SCOPES } from './types.js';
export type { Classification, ClassifyContext, Classifier, FailureReason, FailureScope } from './types.js';
