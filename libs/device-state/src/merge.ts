import type { DecodedTelemetry } from './decode-telemetry';
import {
  MERGED_FIELDS,
  type DeviceStateDocument,
  type DeviceStatePatch,
  type FieldValues,
  type MergedField,
  type Stamped,
} from './device-state';

// Tie-break for two values stamped with the same millisecond: a total order on the value itself,
// so the winner does not depend on which event arrived first.
function canonical(field: MergedField, value: FieldValues[MergedField]): string {
  if (field === 'position') {
    const p = value as FieldValues['position'];
    return `${p.latitude}|${p.longitude}|${p.altitude}`;
  }
  if (field === 'health') {
    const h = value as FieldValues['health'];
    return `${+h.gyrometerOK}${+h.accelerometerOK}${+h.magnetometerOK}`;
  }
  return String(value);
}

/** True when `candidate` should replace `current` under the merge rule. */
export function isNewer<K extends MergedField>(field: K, candidate: Stamped<FieldValues[K]>, current: Stamped<FieldValues[K]> | undefined): boolean {
  if (!current) return true;
  if (candidate.at !== current.at) return candidate.at > current.at;
  return canonical(field, candidate.value) > canonical(field, current.value);
}

function setIfNewer<K extends MergedField>(patch: DeviceStatePatch, field: K, stamped: Stamped<FieldValues[K]> | undefined): boolean {
  if (!stamped) return false;
  const current = patch.fields[field] as Stamped<FieldValues[K]> | undefined;
  if (!isNewer(field, stamped, current)) return false;
  (patch.fields as Record<K, Stamped<FieldValues[K]>>)[field] = stamped;
  return true;
}

/** The patch one event makes. */
export function patchOf({ telemetry, time }: DecodedTelemetry): DeviceStatePatch {
  const fields: DeviceStatePatch['fields'] = {};
  if (telemetry.battery !== undefined) fields.battery = { value: telemetry.battery, at: time };
  if (telemetry.flightMode !== undefined) fields.flightMode = { value: telemetry.flightMode, at: time };
  if (telemetry.position !== undefined) fields.position = { value: telemetry.position, at: time };
  if (telemetry.health !== undefined) fields.health = { value: telemetry.health, at: time };
  return { deviceId: telemetry.deviceId, lastEventTime: time, fields };
}

/**
 * Folds one event into `into` (mutating it): `mergeInto(into, patchOf(event))` without building
 * the event's patch, which is the per-event cost of coalescing a batch.
 */
export function mergeEventInto(into: DeviceStatePatch, { telemetry, time }: DecodedTelemetry): void {
  if (time > into.lastEventTime) into.lastEventTime = time;
  if (telemetry.battery !== undefined) setIfNewer(into, 'battery', { value: telemetry.battery, at: time });
  if (telemetry.flightMode !== undefined) setIfNewer(into, 'flightMode', { value: telemetry.flightMode, at: time });
  if (telemetry.position !== undefined) setIfNewer(into, 'position', { value: telemetry.position, at: time });
  if (telemetry.health !== undefined) setIfNewer(into, 'health', { value: telemetry.health, at: time });
}

/** Folds `incoming` into `into` (mutating it). Returns true when anything changed. */
export function mergeInto(into: DeviceStatePatch, incoming: DeviceStatePatch): boolean {
  let changed = false;
  if (incoming.lastEventTime > into.lastEventTime) {
    into.lastEventTime = incoming.lastEventTime;
    changed = true;
  }
  for (const field of MERGED_FIELDS) {
    if (setIfNewer(into, field, incoming.fields[field] as Stamped<FieldValues[typeof field]> | undefined)) changed = true;
  }
  return changed;
}

/** A merged copy of two patches for the same device. */
export function mergePatches(a: DeviceStatePatch, b: DeviceStatePatch): DeviceStatePatch {
  const out: DeviceStatePatch = { deviceId: a.deviceId, lastEventTime: a.lastEventTime, fields: { ...a.fields } };
  mergeInto(out, b);
  return out;
}

/** Reads a stored document back into patch form (what the merge rule needs of it). */
export function patchFromDocument(doc: DeviceStateDocument): DeviceStatePatch {
  const fields: DeviceStatePatch['fields'] = {};
  for (const field of MERGED_FIELDS) {
    const at = doc.fieldTimes?.[field];
    const value = doc[field];
    if (at !== undefined && value !== undefined) {
      (fields as Record<MergedField, Stamped<unknown>>)[field] = { value, at: Date.parse(at) };
    }
  }
  return { deviceId: doc.deviceId, lastEventTime: Date.parse(doc.lastEventTime), fields };
}

/** The document for a patch. `updatedAt` is the write time. */
export function documentFromPatch(patch: DeviceStatePatch, updatedAt: Date): DeviceStateDocument {
  const doc: DeviceStateDocument = {
    id: patch.deviceId,
    deviceId: patch.deviceId,
    lastEventTime: new Date(patch.lastEventTime).toISOString(),
    fieldTimes: {},
    updatedAt: updatedAt.toISOString(),
    schemaVersion: 1,
  };
  for (const field of MERGED_FIELDS) {
    const stamped = patch.fields[field];
    if (!stamped) continue;
    (doc as unknown as Record<MergedField, unknown>)[field] = stamped.value;
    doc.fieldTimes[field] = new Date(stamped.at).toISOString();
  }
  return doc;
}

/**
 * Applies a patch to the stored state. `changed` is false when the patch adds nothing (a duplicate
 * or an older event): then no write is needed at all.
 */
export function applyPatch(current: DeviceStatePatch | undefined, patch: DeviceStatePatch): { next: DeviceStatePatch; changed: boolean } {
  if (!current) return { next: mergePatches(patch, patch), changed: true };
  const next = mergePatches(current, patch);
  const changed = next.lastEventTime !== current.lastEventTime || MERGED_FIELDS.some((f) => next.fields[f] !== current.fields[f]);
  return { next, changed };
}
