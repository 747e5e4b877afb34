/**
 * Where the task hub keeps its documents (instances and entities): one JSON document per key,
 * written whole after every change. One host per task hub: there is no cross-host locking.
 */
export interface TaskHubStore {
  readonly description: string;
  open(): Promise<void>;
  /** Every document under `prefix` ("instances/", "entities/"). */
  loadAll<T>(prefix: string): Promise<T[]>;
  put(key: string, document: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Blob/file name for a document id (instance ids and entity keys may hold any character). */
export const documentKey = (prefix: 'instances' | 'entities', id: string): string => `${prefix}/${encodeURIComponent(id)}.json`;
