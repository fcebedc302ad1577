import type { AiSdkFilePart, AiSdkPromptMessage } from './language-model.js';
import type { FromAiSdkOptions } from './from-ai-sdk.js';

/** Providers read http(s) URLs themselves (or the SDK downloads them); any other scheme is the host's own reference. */
const PUBLIC = new Set(['http:', 'https:']);

/**
 * The prompt with each file part whose data is a private reference (`blobs://…`) replaced by
 * what the host's `resolveReference` answers: the bytes, or a URL a provider can read. A
 * prompt without such references is returned as it is, at no cost.
 */
export async function resolveReferences(prompt: AiSdkPromptMessage[], resolve: FromAiSdkOptions['resolveReference']): Promise<AiSdkPromptMessage[]> {
  if (!resolve) return prompt;
  const isPrivate = (p: { type: string; data?: unknown }): p is AiSdkFilePart => p.type === 'file' && p.data instanceof URL && !PUBLIC.has(p.data.protocol);
  if (!prompt.some((m) => m.role !== 'system' && m.content.some((p) => isPrivate(p)))) return prompt;
  return Promise.all(
    prompt.map(async (m) => {
      if (m.role === 'system') return m;
      const content = await Promise.all(
        m.content.map(async (p) => (isPrivate(p) ? { ...p, data: await resolve(p.data as URL, { mediaType: p.mediaType }) } : p)),
      );
      return { ...m, content } as AiSdkPromptMessage;
    }),
  );
}
