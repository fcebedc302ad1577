import { InvalidArgumentError } from '@commander-js/extra-typings';

/** `--limit`: a positive integer, or a usage error. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Collects a repeatable option's values in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
