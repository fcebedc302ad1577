import type { Usage } from '../../types.js';

/**
 * Why a provider answer that raised no error still cannot be taken as a reply:
 * - `content_filter`: the provider stopped the reply for policy reasons; persisting the empty
 *   or partial text as a success would hide a refusal that another model might not make.
 * - `provider_error`: the provider ended the answer with finish reason `error` but sent no
 *   error object to re-throw, or ended an empty answer with a finish reason of its own that the
 *   spec files under `other` (Gemini `OTHER`, `IMAGE_PROHIBITED_CONTENT`).
 * - `incomplete_response`: the answer ended without a finish reason from the provider (a
 *   stream whose connection closed mid-answer, or an empty answer with no reason), so the text
 *   is a fragment.
 */
export type ProviderResponseErrorCode = 'content_filter' | 'incomplete_response' | 'provider_error';

/** What the provider did report about the refused answer: a failed attempt still has a cost. */
export interface ProviderResponseDetails {
  usage?: Usage;
  finishReason?: string;
  responseModel?: string;
}

/**
 * Thrown by the AI SDK adapter for the three cases above. It stands for a provider's answer, not
 * for a failure of this library, so it is a plain Error that the classifier reads like any
 * provider error. `code` is what the classifier reads
 * (the same field it reads on provider errors), `provider`/`model` say who answered, and
 * `usage`/`finishReason`/`responseModel` keep what the provider reported, so the attempt's
 * tokens can be recorded although it failed.
 */
export class ProviderResponseError extends Error {
  readonly code: ProviderResponseErrorCode;
  readonly provider: string;
  readonly model: string;
  readonly usage?: Usage;
  readonly finishReason?: string;
  readonly responseModel?: string;

  constructor(code: ProviderResponseErrorCode, provider: string, model: string, detail: string, details: ProviderResponseDetails = {}) {
    super(`${provider}/${model}: ${detail} (${code})`);
    this.name = 'ProviderResponseError';
    this.code = code;
    this.provider = provider;
    this.model = model;
    if (details.usage) this.usage = details.usage;
    if (details.finishReason !== undefined) this.finishReason = details.finishReason;
    if (details.responseModel !== undefined) this.responseModel = details.responseModel;
  }
}
