import { randomUUID } from 'node:crypto';
import type { EntityHandler } from 'durable-functions';
import { createEntityFunction, dummyContext } from './library-internals';
import type { EntityStateWire, EntityTriggerInput } from './wire';

export interface EntityOperation {
  name: string;
  input?: unknown;
}

export interface EntityBatchResult<T> {
  exists: boolean;
  state: T | undefined;
  results: Array<{ isError: boolean; result: unknown }>;
}

/**
 * Runs an entity the way the extension does: a batch of operations against the stored state
 * (a JSON string), through the library's engine. Pass the returned state to the next batch to
 * model a breaker restart (Durable persists exactly that string).
 */
export async function runEntityBatch<T>(handler: EntityHandler<T>, self: { name: string; key: string }, state: T | undefined, operations: EntityOperation[]): Promise<EntityBatchResult<T>> {
  const run = createEntityFunction(handler);
  const context = dummyContext('entity', self.name, randomUUID());
  const trigger: EntityTriggerInput = {
    self,
    exists: state !== undefined,
    ...(state === undefined ? {} : { state: JSON.stringify(state) }),
    batch: operations.map((op) => ({ id: randomUUID(), name: op.name, signal: false, ...(op.input === undefined ? {} : { input: JSON.stringify(op.input) }) })),
  };
  const out = (await run(trigger, context)) as EntityStateWire;
  return {
    exists: out.entityExists,
    state: out.entityState === undefined ? undefined : (JSON.parse(out.entityState) as T),
    results: out.results.map((r) => ({ isError: r.isError, result: r.result === undefined ? undefined : (JSON.parse(r.result) as unknown) })),
  };
}
