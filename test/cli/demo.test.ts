import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { openSqliteStore } from '../../src/index.js';

describe('npm start: the fallback demo', () => {
  it('recovers from the quota incident in 2 requests at the providers, then 1, and prints no key', async () => {
    const lines: string[] = [];
    const store = openSqliteStore();
    const code = await runDemo({ store, write: (line) => lines.push(line) }).finally(() => store.close());
    expect(code).toBe(0);
    const seen = lines.filter((l) => l.includes('the providers saw'));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/saw 2 request\(s\): openai-codex\/gpt-5\.5 \(codex:main\) → error, deepseek\/deepseek-v4-pro \(deepseek:default\) → reply/);
    expect(seen[1]).toMatch(/saw 1 request\(s\): deepseek\/deepseek-v4-pro/);
    expect(lines.some((l) => /skip openai-codex\/gpt-5\.4-mini without a call/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/sk-demo/);
    // run 3: a stream that stalls after three words; the host drops them and shows the fallback's whole answer
    const out = lines.join('\n');
    expect(out).toMatch(/✗ timeout \[scope request\] the stream went silent for 400 ms/);
    expect(out).toContain('the host had shown "Here is the " and drops it (reply.reset)');
    expect(out).toMatch(/→ succeeded; the host shows: "\(kimi-k2\.6\) Hello! How can I help\?"/);
  });
});
