// Our message and tool types are our own, written to fit the AI SDK's: a host passes AI SDK
// `ModelMessage`s and tools straight in. Checked against @ai-sdk/provider-utils 4 (the types of
// `ai` 6) by `tsc --noEmit -p .` and, in `npm test`, by test/types/type-check.test.ts.
import type { ModelMessage, Tool, ToolExecutionOptions } from '@ai-sdk/provider-utils';
import { expectTypeOf } from 'vitest';
import {
  createRunActor,
  type AgentTool,
  type AssistantMessage,
  type Message,
  type RunActorOptions,
  type SucceededRunOutput,
  type ToolMessage,
} from '../../src/index.js';

declare const call: RunActorOptions['call'];
declare const aiSdkHistory: ModelMessage[];

// --- AI SDK messages are messages of ours ---
expectTypeOf<ModelMessage>().toExtend<Message>();
expectTypeOf<readonly ModelMessage[]>().toExtend<readonly Message[]>();
createRunActor({ sessionId: 's', messages: aiSdkHistory, chain: ['a/m'], call });

// --- what a run produces goes back into the AI SDK: a text reply is a plain assistant message ---
declare const out: SucceededRunOutput;
expectTypeOf(out.reply).toEqualTypeOf<AssistantMessage>();
expectTypeOf(out.messages).toEqualTypeOf<Message[]>();

// --- a call result may be the AI SDK's response messages ---
declare const responseMessages: Extract<ModelMessage, { role: 'assistant' | 'tool' }>[];
const fromSdk: RunActorOptions['call'] = async () => ({ messages: responseMessages });
void fromSdk;
// @ts-expect-error a call produces assistant and tool messages, not user messages
const wrongRole: RunActorOptions['call'] = async () => ({ messages: [{ role: 'user', content: 'x' }] });
void wrongRole;
expectTypeOf<AssistantMessage | ToolMessage>().toExtend<Message>();

// --- AI SDK tools (here with a JSON Schema) are tools of ours ---
declare const sdkTool: Tool<{ city: string }, { temp: number }>;
expectTypeOf(sdkTool).toExtend<AgentTool>();
createRunActor({ sessionId: 's', messages: aiSdkHistory, chain: ['a/m'], call, tools: { weather: sdkTool } });
// the context an execute gets fits the AI SDK's execution options
declare const execute: (input: { city: string }, options: ToolExecutionOptions) => Promise<string>;
const tool: AgentTool<{ city: string }, string> = { inputSchema: { type: 'object' }, execute };
void tool;
