import * as z from '@telemetry/core/zod';

/** An integer setting (app settings are strings): at least `min`, at most `max`, `fallback` when unset. */
export function intSetting(fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);
}

/** An optional setting; app settings are often present but empty, so '' counts as unset. */
export function optionalSetting<T extends z.ZodMiniType>(schema: T) {
  return z.pipe(
    z.transform((v: unknown) => (v === '' ? undefined : v)),
    z.optional(schema),
  );
}
