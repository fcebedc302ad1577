import { ConfigError } from '../errors.js';
import type { JsonObject } from '../message-types.js';
import type { AgentTool, ToolChoice, ToolDefinition } from '../tool-types.js';
import { isPlainObject, kindOf, toJsonObject } from './json-value.js';
import { parseProviderOptions } from './parse-messages.js';

/** What OpenAI and Anthropic both accept as a function name. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** The default when tools are given: enough for real agent loops, bounded so a looping model stops. */
export const DEFAULT_MAX_STEPS = 10;
export const MAX_STEPS_LIMIT = 1_000;

export interface ParsedTools {
  byName: ReadonlyMap<string, AgentTool>;
  names: readonly string[];
  /** Names of the tools the run executes. */
  executable: readonly string[];
  /** The definitions for `call`: JSON Schemas given as promises (a lazy AI SDK schema) are awaited once. */
  definitions: () => Promise<readonly ToolDefinition[]>;
}

/** An AI SDK schema (`jsonSchema()`, `zodSchema()`) carries its JSON Schema in `jsonSchema`, perhaps lazily. */
function schemaOf(v: unknown, field: string): JsonObject | PromiseLike<unknown> {
  if (!isPlainObject(v) && (typeof v !== 'object' || v === null || !('jsonSchema' in v))) {
    const zod = typeof v === 'object' && v !== null && ('_def' in v || '_zod' in v || '~standard' in v);
    throw new ConfigError(
      field,
      `must be a JSON Schema object or an AI SDK schema (jsonSchema(), zodSchema()), got ${kindOf(v)}${zod ? ': wrap a zod schema with the AI SDK’s zodSchema()' : ''}`,
    );
  }
  const inner = 'jsonSchema' in (v as object) ? (v as { jsonSchema: unknown }).jsonSchema : v;
  if (typeof (inner as PromiseLike<unknown> | null)?.then === 'function') return inner as PromiseLike<unknown>;
  if (!isPlainObject(inner)) throw new ConfigError(`${field}.jsonSchema`, `must be a JSON Schema object, got ${kindOf(inner)}`);
  return toJsonObject(inner, field);
}

/** The `tools` option: name → `{ description?, inputSchema, execute?, providerOptions? }`. */
export function parseTools(v: unknown): ParsedTools | undefined {
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) throw new ConfigError('tools', `must be an object of tool name → { description, inputSchema, execute }, got ${kindOf(v)}`);
  const names = Object.keys(v);
  if (names.length === 0) throw new ConfigError('tools', 'must name at least one tool (leave the option out for none)');
  const byName = new Map<string, AgentTool>();
  const pending: { name: string; description?: string; schema: JsonObject | PromiseLike<unknown>; providerOptions?: ToolDefinition['providerOptions'] }[] = [];
  for (const name of names) {
    const field = `tools.${name}`;
    if (!TOOL_NAME.test(name)) throw new ConfigError(field, 'names must match ^[a-zA-Z0-9_-]{1,64}$ (what OpenAI and Anthropic accept)');
    const tool = v[name];
    if (typeof tool !== 'object' || tool === null || Array.isArray(tool)) throw new ConfigError(field, `must be a tool { description?, inputSchema, execute? }, got ${kindOf(tool)}`);
    const t = tool as Record<string, unknown>;
    if (t.type === 'provider' || t.type === 'provider-defined') throw new ConfigError(`${field}.type`, 'provider-defined tools are not supported: give a function tool');
    if (t.description !== undefined && typeof t.description !== 'string') throw new ConfigError(`${field}.description`, `must be a string, got ${kindOf(t.description)}`);
    if (t.execute !== undefined && typeof t.execute !== 'function') throw new ConfigError(`${field}.execute`, `must be a function, got ${kindOf(t.execute)}`);
    if (t.inputSchema === undefined) throw new ConfigError(`${field}.inputSchema`, 'is required: the JSON Schema of the tool’s input');
    const schema = schemaOf(t.inputSchema, `${field}.inputSchema`);
    const providerOptions = t.providerOptions === undefined ? undefined : parseProviderOptions(t.providerOptions, `${field}.providerOptions`);
    byName.set(name, tool as AgentTool);
    pending.push({ name, ...(t.description !== undefined && { description: t.description as string }), schema, ...(providerOptions && { providerOptions }) });
  }
  let resolved: Promise<readonly ToolDefinition[]> | undefined;
  const definitions = () =>
    (resolved ??= Promise.all(
      pending.map(async ({ schema, ...rest }): Promise<ToolDefinition> => {
        let value: unknown;
        try {
          value = await schema;
        } catch (err) {
          throw new ConfigError(`tools.${rest.name}.inputSchema`, `could not be resolved: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!isPlainObject(value)) throw new ConfigError(`tools.${rest.name}.inputSchema`, `must resolve to a JSON Schema object, got ${kindOf(value)}`);
        return { ...rest, inputSchema: toJsonObject(value, `tools.${rest.name}.inputSchema`) };
      }),
    ));
  return { byName, names, executable: names.filter((n) => typeof byName.get(n)!.execute === 'function'), definitions };
}

export function parseToolChoice(v: unknown, tools: ParsedTools | undefined): ToolChoice | undefined {
  if (v === undefined) return undefined;
  if (!tools) throw new ConfigError('toolChoice', 'needs `tools`');
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isPlainObject(v) && v.type === 'tool' && typeof v.toolName === 'string') {
    if (!tools.byName.has(v.toolName)) throw new ConfigError('toolChoice.toolName', `names no tool of \`tools\` (${tools.names.join(', ')})`);
    return { type: 'tool', toolName: v.toolName };
  }
  throw new ConfigError('toolChoice', `must be 'auto', 'none', 'required' or { type: 'tool', toolName }, got ${JSON.stringify(v) ?? kindOf(v)}`);
}

export function parseMaxSteps(v: unknown, tools: ParsedTools | undefined): number {
  if (v === undefined) return tools && tools.executable.length > 0 ? DEFAULT_MAX_STEPS : 1;
  if (!tools) throw new ConfigError('maxSteps', 'needs `tools`: without tools a run is one step');
  if (!Number.isSafeInteger(v) || (v as number) < 1 || (v as number) > MAX_STEPS_LIMIT) {
    throw new ConfigError('maxSteps', `must be an integer from 1 to ${MAX_STEPS_LIMIT}, got ${String(v)}`);
  }
  return v as number;
}
