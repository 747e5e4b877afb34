import { randomUUID } from 'node:crypto';
import type { EntityHandler } from 'durable-functions';
import { durableTesting } from './durable-internals';

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
  const run = durableTesting.createEntityFunction(handler);
  const context = new durableTesting.DummyEntityContext(self.name, randomUUID(), () => undefined);
  const trigger = {
    self,
    exists: state !== undefined,
    state: state === undefined ? undefined : JSON.stringify(state),
    batch: operations.map((op) => ({ id: randomUUID(), name: op.name, signal: false, input: op.input === undefined ? undefined : JSON.stringify(op.input) })),
  };
  const out = (await run(trigger, context)) as { entityExists: boolean; entityState?: string; results: Array<{ isError: boolean; result?: string }> };
  return {
    exists: out.entityExists,
    state: out.entityState === undefined ? undefined : (JSON.parse(out.entityState) as T),
    results: out.results.map((r) => ({ isError: r.isError, result: r.result === undefined ? undefined : (JSON.parse(r.result) as unknown) })),
  };
}
