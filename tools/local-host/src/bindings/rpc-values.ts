import type { RpcTypedData } from '../core/core-types';

/** The JavaScript value a worker sent for an output binding (the inverse of the library's toRpcTypedData). */
export function fromRpcValue(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.string === 'string') return data.string;
  if (typeof data.json === 'string') return JSON.parse(data.json) as unknown;
  if (data.bytes) return Buffer.from(data.bytes);
  if (typeof data.int === 'number') return data.int;
  if (typeof data.double === 'number') return data.double;
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  if (data.collectionString?.string) return data.collectionString.string;
  return undefined;
}

/**
 * Collector semantics of the host for out-of-process workers: an array is several items
 * (messages, entities, documents, events), anything else one item.
 */
export function asItems(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The bytes the host writes for one item: strings as UTF-8, bytes as they are, anything else as JSON. */
export function itemBytes(item: unknown): Buffer {
  if (Buffer.isBuffer(item)) return item;
  if (item instanceof Uint8Array) return Buffer.from(item);
  if (typeof item === 'string') return Buffer.from(item, 'utf8');
  return Buffer.from(JSON.stringify(item), 'utf8');
}
