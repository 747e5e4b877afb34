import { z } from 'zod';

/** An integer setting (app settings are strings): at least `min`, at most `max`, `fallback` when unset. */
export function intSetting(fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number().int().min(min).max(max).default(fallback);
}

/** An optional setting; app settings are often present but empty, so '' counts as unset. */
export function optionalSetting<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
}
