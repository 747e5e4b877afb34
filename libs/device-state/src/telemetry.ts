import * as z from '@telemetry/core/zod';
import { IOT_HUB_DEVICE_ID_PATTERN, IOT_HUB_DEVICE_ID_RULE } from './device-id';

/** Maximum size of one telemetry event on the wire (bytes). Larger events are EVENT_OVERSIZE. */
export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * What a deviceId may be. It is also the partition key and the Cosmos DB document id, and ids
 * travel in REST paths (`.../docs/{id}`), so it must be an id the store can address, not only
 * store. Cosmos DB: at most 1,023 bytes, no `/`, `\\`, `?` or `#` (the character class excludes
 * them). Dot segments are not in those documented rules, but HTTP stacks resolve them (RFC 3986
 * 5.2.4): `.../docs/.` addresses the feed and `.../docs/..` the container, so a document created
 * as `.` or `..` (a create carries the id in the body) can never be read, replaced or deleted by
 * id. A trailing dot is refused as a precaution (Windows-derived URL handling trims it), which
 * also covers `.`, `..` and `...`. Argued in docs/security.md ("Data integrity").
 */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{0,63}[A-Za-z0-9_:-]$/;
export const DEVICE_ID_RULE = 'deviceId must be 1-64 chars of [A-Za-z0-9._:-], not ending with "."';

export const positionSchema = z.object({
  latitude: z.number().check(z.minimum(-90), z.maximum(90)),
  longitude: z.number().check(z.minimum(-180), z.maximum(180)),
  /** Metres; -500 (below sea level sites) .. 20,000. */
  altitude: z.number().check(z.minimum(-500), z.maximum(20_000)),
});

export const healthSchema = z.object({
  gyrometerOK: z.boolean(),
  accelerometerOK: z.boolean(),
  magnetometerOK: z.boolean(),
});

/**
 * The telemetry wire contract (JSON, UTF-8). Unknown fields are stripped: accepted for forward
 * compatibility, never stored. Documented in the README; extend, never rename.
 */
export const telemetrySchema = z.object({
  deviceId: z.string().check(z.regex(DEVICE_ID_PATTERN, DEVICE_ID_RULE)),
  // zod's pattern already rejects impossible dates (30 February); decodeTelemetry still checks Date.parse, which it needs for the epoch.
  timestamp: z.iso.datetime({ offset: true, error: 'timestamp must be an ISO 8601 instant with a zone' }),
  keyFrame: z.optional(z.boolean()),
  battery: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  flightMode: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(7))),
  position: z.optional(positionSchema),
  health: z.optional(healthSchema),
});

/**
 * The same contract in IoT Hub identity mode, checked after the authenticated id has replaced the
 * body's (which may be absent or must equal it): the id follows IoT Hub's rule, not the body rule.
 */
export const iotHubTelemetrySchema = z.extend(telemetrySchema, {
  deviceId: z.string().check(z.regex(IOT_HUB_DEVICE_ID_PATTERN, IOT_HUB_DEVICE_ID_RULE)),
});

export type Telemetry = z.output<typeof telemetrySchema>;
export type Position = z.output<typeof positionSchema>;
export type Health = z.output<typeof healthSchema>;
