import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parsers for the workspace CLIs: a bad value is refused while the options are
 * parsed (before anything starts), with the flag, the allowed range and what was given.
 */

/** A whole number in [min, max]. */
export function intOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got ${JSON.stringify(value)})`);
    }
    return n;
  };
}

/** A ratio in [0, 1]. */
export function ratioOption(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${flag} must be a ratio from 0 to 1 (got ${JSON.stringify(value)})`);
    return n;
  };
}

/** A finite number of seconds in (0, max]. */
export function secondsOption(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${flag} must be a number of seconds above 0, at most ${max.toLocaleString('en-US')} (got ${JSON.stringify(value)})`);
    return n;
  };
}
