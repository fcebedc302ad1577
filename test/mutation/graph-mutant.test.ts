import { expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { runMachine } from '../../machines/run.machine.js';
import { expectFullCoverage, transitionCoverage } from '../graph/coverage.js';

/**
 * The run machine with one more transition: a success whose content is 'cached' goes straight to
 * succeeded. No generated path answers 'cached', so no path takes it: coverage must say so.
 */
function withUntakenTransition(): AnyStateMachine {
  const config = runMachine.config as unknown as { states: Record<string, { on: Record<string, unknown[]> }> };
  const attempting = config.states.attempting!;
  const cached = { guard: ({ event }: { event: { output: { ok: boolean; content?: string } } }) => event.output.ok && event.output.content === 'cached', target: 'succeeded' };
  return createMachine(
    { ...runMachine.config, states: { ...config.states, attempting: { ...attempting, on: { ...attempting.on, 'callProvider.done': [cached, ...attempting.on['callProvider.done']!] } } } } as never,
    runMachine.implementations as never,
  ) as AnyStateMachine;
}

it('transition coverage ← a transition added to the machine that no generated path takes is reported', async () => {
  const c = await transitionCoverage(withUntakenTransition());
  expect(c.uncovered).toContain('attempting --callProvider.done#0--> succeeded');
  expect(() => expectFullCoverage(c)).toThrow();
});
