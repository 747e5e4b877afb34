import type { Generation } from './iot-hub-identity';
import type { Health, Position } from './telemetry';

/** The fields the merge rule keeps, each from the newest event (by `timestamp`) that carried it. */
export const MERGED_FIELDS = ['battery', 'flightMode', 'position', 'health'] as const;
export type MergedField = (typeof MERGED_FIELDS)[number];

export interface FieldValues {
  battery: number;
  flightMode: number;
  position: Position;
  health: Health;
}

/** A value and the device timestamp (epoch ms) of the event it came from. */
export interface Stamped<T> {
  value: T;
  at: number;
}

/**
 * What a set of events says about one device: per field the newest stamped value, plus the newest
 * timestamp seen. Patches form a join-semilattice (merge is associative, commutative, idempotent),
 * which is what makes the stored state independent of order, duplicates and batch boundaries.
 */
export interface DeviceStatePatch {
  deviceId: string;
  lastEventTime: number;
  fields: { [K in MergedField]?: Stamped<FieldValues[K]> };
  /**
   * IoT Hub mode: the device generation the state belongs to. A newer generation (a device deleted
   * and recreated under the same id) replaces the state wholesale; an older one's events change
   * nothing. Absent (body mode) ranks below every generation.
   */
  generation?: Generation;
}

/**
 * The stored document: one per device, partition key /deviceId. `id` = documentIdOf(deviceId),
 * which is deviceId itself for every id the body rule accepts; `deviceId` is the original id.
 */
export interface DeviceStateDocument {
  id: string;
  deviceId: string;
  /** IoT Hub mode: the auth generation id the state belongs to and the newest IoT Hub enqueued time seen from it. */
  generation?: { id: string; seenAt: string };
  battery?: number;
  flightMode?: number;
  position?: Position;
  health?: Health;
  /** Newest device timestamp applied (ISO 8601, ms precision). */
  lastEventTime: string;
  /** Per field, the timestamp of the event its value came from: the merge rule's memory. */
  fieldTimes: { [K in MergedField]?: string };
  /** Wall-clock time of the last write (not part of the merge; differs between replays). */
  updatedAt: string;
  schemaVersion: 1;
  _etag?: string;
}
