import type { Container } from '@azure/cosmos';
import { documentIdOf, type DeviceStateDocument } from '@telemetry/device-state';

/** A stored device document as ingestion writes it (for seeding read-side tests). */
export function deviceDoc(deviceId: string, fields: Partial<DeviceStateDocument> = {}): DeviceStateDocument {
  const at = fields.updatedAt ?? '2026-01-01T00:00:00.000Z';
  return {
    id: documentIdOf(deviceId),
    deviceId,
    battery: 0.5,
    flightMode: 1,
    position: { latitude: 47.6, longitude: -122.3, altitude: 120 },
    health: { gyrometerOK: true, accelerometerOK: true, magnetometerOK: true },
    lastEventTime: at,
    fieldTimes: { battery: at, flightMode: at, position: at, health: at },
    updatedAt: at,
    schemaVersion: 1,
    ...fields,
  };
}

/** Writes documents through the real container (bulk, 100 per call as Cosmos allows). */
export async function seedDevices(container: Container, docs: DeviceStateDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 100) {
    await container.items.bulk(docs.slice(i, i + 100).map((resourceBody) => ({ operationType: 'Upsert' as const, resourceBody: { ...resourceBody } })));
  }
}
