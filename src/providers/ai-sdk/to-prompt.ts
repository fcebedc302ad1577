import { messageText, type Message } from '../../message-types.js';
import type { AiSdkPromptMessage } from './language-model.js';

/**
 * Our messages → the spec prompt. A `tool` message becomes user text: our messages carry no
 * tool call id or tool name, which the spec's tool-result part requires and which providers
 * enforce (OpenAI rejects a tool message that answers no assistant tool call), so sending it
 * as a tool message would fail every candidate. As text its content stays in the context.
 * Hosts with real tool turns pass their own `toPrompt` to fromAiSdk.
 */
export function toPrompt(messages: readonly Message[]): AiSdkPromptMessage[] {
  return messages.map((m): AiSdkPromptMessage => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'assistant':
        return { role: 'assistant', content: [{ type: 'text', text: messageText(m) }] };
      case 'tool':
        return { role: 'user', content: [{ type: 'text', text: `Tool result:\n${messageText(m)}` }] };
      case 'user':
        return { role: 'user', content: [{ type: 'text', text: messageText(m) }] };
    }
  });
}
