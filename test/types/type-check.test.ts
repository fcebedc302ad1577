import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const typeTests = fileURLToPath(new URL('./public-api.test-d.ts', import.meta.url));
const aiSdkTypeTests = fileURLToPath(new URL('./ai-sdk-messages.test-d.ts', import.meta.url));
// Inside the package (so `llm-failover` resolves to its own dist/ through "exports"), ignored by git.
const scratch = `${root}.tmp/readme-example`;
const readmeExample = `${scratch}/example.ts`;
const agentsExample = `${scratch}/agents-example.ts`;
// A false expectation, compiled with the others: it must be reported, or the check proves nothing.
const mustFail = `${scratch}/must-fail.ts`;

/** The README's embedding example, with the one function it leaves to the reader declared. */
function readmeSource(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const block = /## Embedding\s+```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts block under "## Embedding"');
  const declared = [
    '// Declared by this test: the host client the README leaves to the reader.',
    'declare function myClient(provider: string, profileId: string): {',
    '  chat(o: { model: string; messages: readonly { role: string; content: string }[]; signal: AbortSignal; maxRetries: number }): Promise<{ text: string }>;',
    '};',
  ].join('\n');
  return `${declared}\n${block[1]}\nexport {};\n`;
}

/** The complete example of docs/agents.md, as a host would write it. */
function agentsSource(): string {
  const doc = readFileSync(`${root}docs/agents.md`, 'utf8');
  const block = /## A complete example[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/agents.md has no ```ts block under "## A complete example"');
  return block[1]!;
}

let diagnostics: readonly ts.Diagnostic[] = [];

const messagesFor = (file: string) =>
  diagnostics
    .filter((d) => d.file?.fileName === file)
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });

beforeAll(() => {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(readmeExample, readmeSource());
  writeFileSync(agentsExample, agentsSource());
  writeFileSync(
    mustFail,
    "import { expectTypeOf } from 'vitest';\nimport type { RunOutput } from '../../src/index.js';\ndeclare const out: RunOutput;\nexpectTypeOf(out.runId).toEqualTypeOf<number>();\n",
  );
  const config = ts.readConfigFile(`${root}tsconfig.json`, (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // One program for both: the type tests read src/, the README reads the built package.
  const program = ts.createProgram([typeTests, aiSdkTypeTests, readmeExample, agentsExample, mustFail], { ...options, noEmit: true });
  diagnostics = ts.getPreEmitDiagnostics(program);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('types a host relies on', () => {
  it('hold as test/types/public-api.test-d.ts states them (output union, error narrowing by code, readonly options, send)', () => {
    expect(messagesFor(typeTests)).toEqual([]);
  });

  it("README's embedding example type-checks against the built package", () => {
    expect(readFileSync(readmeExample, 'utf8')).toContain("from 'llm-failover'");
    expect(messagesFor(readmeExample)).toEqual([]);
  });

  it('AI SDK messages and tools fit ours, as test/types/ai-sdk-messages.test-d.ts states', () => {
    expect(messagesFor(aiSdkTypeTests)).toEqual([]);
  });

  it("docs/agents.md's complete example type-checks against the built package", () => {
    expect(readFileSync(agentsExample, 'utf8')).toContain("from 'llm-failover'");
    expect(messagesFor(agentsExample)).toEqual([]);
  });

  it('a false expectation is reported, and nothing else in the program has a type error', () => {
    expect(messagesFor(mustFail)).toEqual([expect.stringMatching(/^4: /)]);
    const elsewhere = diagnostics.filter((d) => ![typeTests, aiSdkTypeTests, readmeExample, agentsExample, mustFail].includes(d.file?.fileName ?? ''));
    expect(elsewhere.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
