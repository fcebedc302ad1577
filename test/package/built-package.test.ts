import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('the built package', () => {
  it('is importable as "llm-failover" from dist and runs the incident', () => {
    // `npm test` builds first (pretest); this test is about what hosts import, not src/.
    expect(existsSync(new URL('dist/index.js', root))).toBe(true);
    const stdout = execFileSync(process.execPath, [new URL('test/package/host.mjs', root).pathname], {
      cwd: root.pathname,
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      status: 'succeeded',
      servedBy: { provider: 'deepseek', model: 'deepseek-v4-pro' },
      calls: ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'],
      classified: 'overloaded',
      errorClass: 'function',
    });
    expect(result.turns.map((t: { role: string }) => t.role)).toEqual(['user', 'assistant']);
  });
});
