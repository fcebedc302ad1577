import { anthropicFormat } from './anthropic-format.js';
import { geminiFormat } from './gemini-format.js';
import { openAiFormat } from './openai-format.js';
import type { WireFormat } from './wire-format.js';

/** Where a request goes: which provider, which wire format, and what the path itself says. */
export interface Route {
  provider: string;
  format: WireFormat;
  /** Gemini puts the model and the streaming choice in the path. */
  model?: string;
  stream?: boolean;
}

const OPENAI = /^\/([^/]+)\/v1\/chat\/completions$/;
const ANTHROPIC = /^\/([^/]+)\/v1\/messages$/;
// `v1beta` too, so a host can point @ai-sdk/google at `<url>/<provider>/v1beta` as at Google.
const GEMINI = /^\/([^/]+)\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export const ROUTES_HELP =
  'The emulator serves POST /<provider>/v1/chat/completions, /<provider>/v1/messages and /<provider>/v1/models/<model>:generateContent (or :streamGenerateContent).';

export function matchRoute(pathname: string): Route | undefined {
  const openai = OPENAI.exec(pathname);
  if (openai) return { provider: decode(openai[1]), format: openAiFormat };
  const anthropic = ANTHROPIC.exec(pathname);
  if (anthropic) return { provider: decode(anthropic[1]), format: anthropicFormat };
  const gemini = GEMINI.exec(pathname);
  if (gemini) return { provider: decode(gemini[1]), format: geminiFormat, model: decode(gemini[2]), stream: gemini[3] === 'streamGenerateContent' };
  return undefined;
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}
