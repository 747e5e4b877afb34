import type { DecodedTelemetry } from './decode-telemetry';
import { documentIdOf } from './device-id';
import type { Generation } from './iot-hub-identity';
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

/**
 * How two generations compare: 0 for the same one (or both absent), > 0 when `a` is newer. Absent
 * ranks lowest; different ids are ordered by their enqueued times (all of an older generation's
 * messages were enqueued before the device was deleted), ties by id so the order is total.
 */
export function compareGenerations(a: Generation | undefined, b: Generation | undefined): number {
  if (a?.id === b?.id) return 0;
  if (!a) return -1;
  if (!b) return 1;
  if (a.at !== b.at) return a.at - b.at;
  return a.id < b.id ? -1 : 1;
}

/** Same generation: keep the newest enqueued time seen (mutating `into`). */
function touchGeneration(into: DeviceStatePatch, generation: Generation | undefined): void {
  if (into.generation && generation && generation.at > into.generation.at) into.generation = { ...generation };
}

/** `into` becomes a copy of `from` (a newer generation replaces the state wholesale). */
function replaceWith(into: DeviceStatePatch, from: DeviceStatePatch): void {
  into.lastEventTime = from.lastEventTime;
  into.fields = { ...from.fields };
  if (from.generation) into.generation = { ...from.generation };
  else delete into.generation;
}

/** The patch one event makes. */
export function patchOf({ telemetry, time, generation }: DecodedTelemetry): DeviceStatePatch {
  const fields: DeviceStatePatch['fields'] = {};
  if (telemetry.battery !== undefined) fields.battery = { value: telemetry.battery, at: time };
  if (telemetry.flightMode !== undefined) fields.flightMode = { value: telemetry.flightMode, at: time };
  if (telemetry.position !== undefined) fields.position = { value: telemetry.position, at: time };
  if (telemetry.health !== undefined) fields.health = { value: telemetry.health, at: time };
  const patch: DeviceStatePatch = { deviceId: telemetry.deviceId, lastEventTime: time, fields };
  if (generation) patch.generation = { ...generation };
  return patch;
}

/**
 * Folds one event into `into` (mutating it): `mergeInto(into, patchOf(event))` without building
 * the event's patch, which is the per-event cost of coalescing a batch.
 */
export function mergeEventInto(into: DeviceStatePatch, event: DecodedTelemetry): void {
  const order = compareGenerations(event.generation, into.generation);
  if (order < 0) return;
  if (order > 0) return replaceWith(into, patchOf(event));
  touchGeneration(into, event.generation);
  const { telemetry, time } = event;
  const { fields } = into;
  if (time > into.lastEventTime) into.lastEventTime = time;
  // isNewer's rule, asked before a stamped value is made: most events of a batch lose nothing to allocate.
  const { battery, flightMode, position, health } = telemetry;
  if (battery !== undefined && beats('battery', battery, time, fields.battery)) fields.battery = { value: battery, at: time };
  if (flightMode !== undefined && beats('flightMode', flightMode, time, fields.flightMode)) fields.flightMode = { value: flightMode, at: time };
  if (position !== undefined && beats('position', position, time, fields.position)) fields.position = { value: position, at: time };
  if (health !== undefined && beats('health', health, time, fields.health)) fields.health = { value: health, at: time };
}

/** isNewer(field, { value, at }, current) without the stamped candidate. */
function beats<K extends MergedField>(field: K, value: FieldValues[K], at: number, current: Stamped<FieldValues[K]> | undefined): boolean {
  if (!current) return true;
  if (at !== current.at) return at > current.at;
  return canonical(field, value) > canonical(field, current.value);
}

/** Folds `incoming` into `into` (mutating it). Returns true when anything changed. */
export function mergeInto(into: DeviceStatePatch, incoming: DeviceStatePatch): boolean {
  const order = compareGenerations(incoming.generation, into.generation);
  if (order < 0) return false;
  if (order > 0) {
    replaceWith(into, incoming);
    return true;
  }
  touchGeneration(into, incoming.generation);
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
  if (a.generation) out.generation = { ...a.generation };
  mergeInto(out, b);
  return out;
}

/** A stored time, or undefined when it is missing or does not parse. */
function storedTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * Reads a stored document back into patch form (what the merge rule needs of it). A document the
 * product did not write as it expects (a hand edit, a migration, another writer) never stops its
 * device: a field whose time is missing or does not parse counts as unset, so the next event
 * sets it again; an unreadable lastEventTime becomes the latest field time (else the epoch), an
 * unreadable generation counts as none. The next write repairs the document.
 */
export function patchFromDocument(doc: DeviceStateDocument): DeviceStatePatch {
  const fields: DeviceStatePatch['fields'] = {};
  let latestField: number | undefined;
  for (const field of MERGED_FIELDS) {
    const at = storedTime(doc.fieldTimes?.[field]);
    const value = doc[field];
    if (at !== undefined && value !== undefined) {
      (fields as Record<MergedField, Stamped<unknown>>)[field] = { value, at };
      latestField = Math.max(latestField ?? at, at);
    }
  }
  const patch: DeviceStatePatch = { deviceId: doc.deviceId, lastEventTime: storedTime(doc.lastEventTime) ?? latestField ?? 0, fields };
  const generationAt = storedTime(doc.generation?.seenAt);
  if (doc.generation && typeof doc.generation.id === 'string' && generationAt !== undefined) patch.generation = { id: doc.generation.id, at: generationAt };
  return patch;
}

/** The document for a patch. `updatedAt` is the write time. */
export function documentFromPatch(patch: DeviceStatePatch, updatedAt: Date): DeviceStateDocument {
  const doc: DeviceStateDocument = {
    id: documentIdOf(patch.deviceId),
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
  if (patch.generation) doc.generation = { id: patch.generation.id, seenAt: new Date(patch.generation.at).toISOString() };
  return doc;
}

/**
 * Applies a patch to the stored state. `changed` is false when the patch adds nothing (a duplicate
 * or an older event): then no write is needed at all.
 */
export function applyPatch(current: DeviceStatePatch | undefined, patch: DeviceStatePatch): { next: DeviceStatePatch; changed: boolean } {
  if (!current) return { next: mergePatches(patch, patch), changed: true };
  const next = mergePatches(current, patch);
  // A newer enqueued time of the same generation alone is no reason to write: any of its times orders it.
  const changed =
    next.generation?.id !== current.generation?.id || next.lastEventTime !== current.lastEventTime || MERGED_FIELDS.some((f) => next.fields[f] !== current.fields[f]);
  return { next, changed };
}
