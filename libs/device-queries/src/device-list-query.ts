import { z } from 'zod';
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

const number = (name: string) =>
  z.string().trim().min(1, `${name} must be a number`).transform(Number).pipe(z.number({ error: `${name} must be a number` }).refine(Number.isFinite, `${name} must be a finite number`));

const schema = z.strictObject({
  updatedSince: z.iso.datetime({ offset: true, error: 'updatedSince must be an ISO 8601 instant with a zone, e.g. 2026-01-01T00:00:00Z' }).optional(),
  bbox: z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
      const [west, south, east, north] = parts;
      if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
        ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: west,south,east,north (degrees)' });
        return z.NEVER;
      }
      return { west: west!, south: south!, east: east!, north: north! };
    })
    .refine((b) => b.south >= -90 && b.north <= 90 && b.south <= b.north, 'bbox latitudes must satisfy -90 <= south <= north <= 90')
    .refine((b) => [b.west, b.east].every((x) => x >= -180 && x <= 180), 'bbox longitudes must be within -180..180')
    .optional(),
  batteryBelow: number('batteryBelow').pipe(z.number().gt(0, 'batteryBelow must be > 0').max(1, 'batteryBelow must be <= 1 (battery is a fraction)')).optional(),
  pageSize: number('pageSize').pipe(z.number().int('pageSize must be an integer').min(1, 'pageSize must be >= 1').max(MAX_PAGE_SIZE, `pageSize must be <= ${MAX_PAGE_SIZE}`)).optional(),
  continuation: z
    .string()
    .transform((s, ctx) => {
      const token = decodeContinuation(s);
      if (token === undefined) ctx.addIssue({ code: 'custom', message: 'continuation is not a token this API issued' });
      return token ?? z.NEVER;
    })
    .optional(),
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
