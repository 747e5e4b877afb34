import * as z from '@telemetry/core/zod';
import { decodeContinuation } from './continuation-token';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** A latitude/longitude box; west > east means it crosses the antimeridian. */
export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** What `GET /api/devices` accepts, parsed. */
export interface DeviceListQuery {
  /** ISO 8601: only devices written (updatedAt) at or after this instant. */
  updatedSince?: string;
  bbox?: BoundingBox;
  /** Only devices whose battery fraction (0..1) is strictly below this. */
  batteryBelow?: number;
  pageSize: number;
  /** The raw Cosmos continuation token (decoded from the URL form). */
  continuation?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Fails a transform with `message`: Zod Mini's transform context has no `addIssue`, so the issue goes on the payload. */
function invalid(ctx: z.core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
}

const number = (name: string) =>
  z.pipe(
    z.pipe(z.string().check(z.trim(), z.minLength(1, `${name} must be a number`)), z.transform(Number)),
    z.number({ error: `${name} must be a number` }).check(z.refine(Number.isFinite, `${name} must be a finite number`)),
  );

const boundingBox = z
  .pipe(
    z.string(),
    z.transform((s: string, ctx): BoundingBox => {
      const parts = s.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
      const [west, south, east, north] = parts;
      if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return invalid(ctx, 'bbox must be four numbers: west,south,east,north (degrees)');
      return { west: west!, south: south!, east: east!, north: north! };
    }),
  )
  .check(
    z.refine((b) => b.south >= -90 && b.north <= 90 && b.south <= b.north, 'bbox latitudes must satisfy -90 <= south <= north <= 90'),
    z.refine((b) => [b.west, b.east].every((x) => x >= -180 && x <= 180), 'bbox longitudes must be within -180..180'),
  );

const continuation = z.pipe(
  z.string(),
  z.transform((s: string, ctx) => decodeContinuation(s) ?? invalid(ctx, 'continuation is not a token this API issued')),
);

const schema = z.strictObject({
  updatedSince: z.optional(
    z.iso.datetime({ offset: true, error: 'updatedSince must be an ISO 8601 instant with a zone, e.g. 2026-01-01T00:00:00Z' }).check(
      // Stored times are compared as strings: an instant outside years 0000-9999 in UTC would be
      // written with an expanded year (`+010000-...`, `-000001-...`) that sorts before every real one.
      // A value Date cannot read at all is refused too, rather than failing later in the query builder.
      z.refine((v) => {
        const t = Date.parse(v);
        return Number.isFinite(t) ? /^\d{4}-/.test(new Date(t).toISOString()) : !/^\d{4}-\d\d-\d\dT/.test(v);
      }, 'updatedSince must be a real instant within the years 0000-9999 in UTC'),
    ),
  ),
  bbox: z.optional(boundingBox),
  batteryBelow: z.optional(
    z.pipe(number('batteryBelow'), z.number().check(z.gt(0, 'batteryBelow must be > 0'), z.maximum(1, 'batteryBelow must be <= 1 (battery is a fraction)'))),
  ),
  pageSize: z.optional(
    z.pipe(
      number('pageSize'),
      z.number().check(z.int('pageSize must be an integer'), z.minimum(1, 'pageSize must be >= 1'), z.maximum(MAX_PAGE_SIZE, `pageSize must be <= ${MAX_PAGE_SIZE}`)),
    ),
  ),
  continuation: z.optional(continuation),
});

/**
 * Validates query parameters. Unknown names and repeated names are errors (a typo such as
 * `updatedSice` must not silently return everything); every problem is reported at once.
 */
export function parseDeviceListQuery(params: URLSearchParams): ParseResult<DeviceListQuery> {
  // No prototype: `constructor`, `toString` or `__proto__` are plain (unknown) names here, never
  // inherited members mistaken for a repeat, and `__proto__=` cannot slip past the schema.
  const raw = Object.create(null) as Record<string, string>;
  const errors: string[] = [];
  for (const [key, value] of params) {
    if (key === 'code') continue; // the Functions key, when passed in the query string
    if (Object.hasOwn(raw, key)) errors.push(`${key} is given more than once`);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') errors.push(`unknown parameter(s): ${issue.keys.join(', ')} (allowed: updatedSince, bbox, batteryBelow, pageSize, continuation)`);
      else errors.push(issue.message);
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const { pageSize, ...rest } = parsed.data;
  return { ok: true, value: { ...rest, pageSize: pageSize ?? DEFAULT_PAGE_SIZE } };
}
