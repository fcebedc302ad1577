import type { Message, MessagePart } from './message-types.js';

function partLabel(part: MessagePart): string | undefined {
  switch (part.type) {
    case 'text':
      return undefined;
    case 'tool-call':
    case 'tool-result':
      return `[${part.type} ${part.toolName}]`;
    default:
      return `[${part.type}]`;
  }
}

/**
 * One line of what a message says, for listings: its text, with each part that is not text
 * named in brackets (`[tool-call get_weather]`, `[image]`), in order.
 */
export function summarizeMessage(m: Pick<Message, 'content'>): string {
  if (typeof m.content === 'string') return m.content;
  return m.content
    .map((part) => (part.type === 'text' ? part.text : partLabel(part)))
    .filter((s) => s !== undefined && s !== '')
    .join(' ');
}
