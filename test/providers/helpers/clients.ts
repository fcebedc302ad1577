import { anthropicModel, googleModel, openAiCompatibleModel } from './models.js';

/** The AI SDK clients the provider tests run through, one per wire format, as `describe.each` rows: [name, makeModel]. */
export const clients = [
  ['openai-compatible', openAiCompatibleModel],
  ['anthropic', anthropicModel],
  ['google', googleModel],
] as const;

/** The error a call to the emulator rejects with; fails the test if the call resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('the call resolved although the emulator broke the exchange or served an error');
}
