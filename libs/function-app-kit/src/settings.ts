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

/**
 * The URL of a service an app calls (http or https). One with user info (`https://user:pw@host`)
 * is refused at start: fetch refuses such URLs on every call, and its error would carry the
 * password; credentials have settings of their own.
 */
export function serviceUrlSetting() {
  return z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).check(
    // zod runs this check also when the URL check failed: an unparseable value is left to that one.
    z.refine((value) => {
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.username === '' && url.password === '';
    }, 'must not carry a user name or password (credentials have settings of their own)'),
  );
}
