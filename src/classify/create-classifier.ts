import { classifyError } from './classify-error.js';
import { isClassification } from './is-classification.js';
import { LIMITS } from './limits.js';
import { scrubSecrets } from './scrub-secrets.js';
import type { Classification, ClassifyContext, Classifier } from './types.js';

/**
 * A total classifier built from the host's own ones and ours. Each host classifier is asked in
 * turn; the first well-formed answer wins, with its message scrubbed like ours. One that throws,
 * returns undefined or returns something malformed is skipped, so a host bug never crashes a
 * run. To extend rather than replace, a host classifier can call `classifyError` and adjust.
 */
export function createClassifier(...hosts: readonly Classifier[]): (err: unknown, context?: ClassifyContext) => Classification {
  return (err, context = {}) => {
    for (const host of hosts) {
      let answer: unknown;
      try {
        answer = host(err, context);
      } catch {
        continue;
      }
      if (isClassification(answer)) {
        return { ...answer, message: scrubSecrets(answer.message).slice(0, LIMITS.messageChars) };
      }
    }
    return classifyError(err, context);
  };
}
