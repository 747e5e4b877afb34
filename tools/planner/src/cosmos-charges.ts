/**
 * Documented Cosmos DB request charges for the operations the product performs on its one
 * document per device (libs/azure-cosmos CosmosDeviceStateStore): create, conditional replace
 * (IfMatch ETag) and, after a 409/412 conflict, a point read. The device-status API's reads are
 * point reads too. Sources:
 * - point read of a 1 KB item = 1 RU:
 *   https://learn.microsoft.com/azure/cosmos-db/request-units
 * - writing (create / replace / upsert) a 1 KB item with default indexing ~ 5 RU; 100 KB ~ 50 RU
 *   (read 10 RU): https://learn.microsoft.com/azure/cosmos-db/optimize-cost-reads-writes
 * The local Cosmos server charges nothing; on a real account the SDK reports `requestCharge`.
 */
export const COSMOS_CHARGE_SOURCES = [
  'https://learn.microsoft.com/azure/cosmos-db/request-units',
  'https://learn.microsoft.com/azure/cosmos-db/optimize-cost-reads-writes',
] as const;

/**
 * Bytes of a stored device document with every field set (id, deviceId, battery, flightMode,
 * position, health, lastEventTime, fieldTimes, updatedAt, schemaVersion and Cosmos's system
 * properties _rid/_self/_etag/_ts), measured by writing one through CosmosDeviceStateStore to the
 * local Cosmos server and reading it back: 678 bytes on 2026-12-01 (document-size.spec.ts keeps
 * the figure honest). The document's size does not depend on the event's size: it keeps a fixed
 * set of fields, not the event.
 */
export const DEVICE_DOCUMENT_BYTES = 678;

/** RU of a point read of an item of `bytes`: 1 RU up to 1 KB, 10 RU at 100 KB (documented). */
export function pointReadRu(bytes: number): number {
  const kb = Math.ceil(bytes / 1024);
  // Linear between the two documented points (1 KB -> 1 RU, 100 KB -> 10 RU).
  return kb <= 1 ? 1 : 1 + ((kb - 1) * (10 - 1)) / (100 - 1);
}

/** RU of a write (create, replace, upsert) of an item of `bytes`: ~5 RU up to 1 KB, ~50 RU at 100 KB. */
export function writeRu(bytes: number): number {
  const kb = Math.ceil(bytes / 1024);
  // Linear between the two documented points (1 KB -> 5 RU, 100 KB -> 50 RU); 5 RU at or under 1 KB.
  return kb <= 1 ? 5 : 5 + ((kb - 1) * (50 - 5)) / (100 - 1);
}

/** Store operations per event, as the bench measures them (docs/benchmarks.json). */
export interface OperationCounts {
  readsPerEvent: number;
  writesPerEvent: number;
}

export interface RuPerEvent {
  product: number;
  reference: number;
  /** product / reference */
  ratio: number;
  readRu: number;
  writeRu: number;
}

/**
 * RU per event: documented charge of each operation x measured operations per event, against the
 * reference implementation's pattern (one point read plus one upsert of the same document per event).
 */
export function ruPerEvent(counts: OperationCounts, documentBytes = DEVICE_DOCUMENT_BYTES): RuPerEvent {
  const readRu = pointReadRu(documentBytes);
  const write = writeRu(documentBytes);
  const product = counts.readsPerEvent * readRu + counts.writesPerEvent * write;
  const reference = 1 * readRu + 1 * write;
  return { product, reference, ratio: product / reference, readRu, writeRu: write };
}
