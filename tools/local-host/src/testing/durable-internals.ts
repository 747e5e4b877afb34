/**
 * durable-functions internals the local host's Durable support depends on (no .d.ts; deep
 * imports). Pinned: durable-functions 3.5.0. `durable-canary.spec.ts` fails loudly if they move.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- internal modules without typings */
import type { InvocationContext } from '@azure/functions';

const lib = (path: string): Record<string, unknown> => require(`durable-functions/lib/src/${path}`) as Record<string, unknown>;

export type OrchestratorListener = (trigger: unknown, context: InvocationContext) => Promise<unknown>;
export type EntityListener = (trigger: unknown, context: InvocationContext) => Promise<unknown>;

export const durableFunctionsVersion = (): string => (require('durable-functions/package.json') as { version: string }).version;
export const historyEventTypeEnum = (): Record<string, number | string> => lib('history/HistoryEventType')['HistoryEventType'] as Record<string, number | string>;
export const actionTypeEnum = (): Record<string, number | string> => lib('actions/ActionType')['ActionType'] as Record<string, number | string>;
export const replaySchemaEnum = (): Record<string, number | string> => lib('orchestrations/ReplaySchema')['ReplaySchema'] as Record<string, number | string>;

/** The wrapper `df.app.orchestration` registers (testingUtils.createOrchestrator). */
export function createOrchestrator(fn: (context: unknown) => Generator<unknown, unknown, unknown>): OrchestratorListener {
  return (lib('util/testingUtils')['createOrchestrator'] as (f: typeof fn) => OrchestratorListener)(fn);
}

export function createEntityFunction(fn: (context: unknown) => unknown): EntityListener {
  return (lib('util/testingUtils')['createEntityFunction'] as (f: typeof fn) => EntityListener)(fn);
}

/** An InvocationContext the library's own tests use for orchestrators and entities. */
export function dummyContext(kind: 'orchestration' | 'entity'): InvocationContext {
  const ctor = lib('util/testingUtils')[kind === 'orchestration' ? 'DummyOrchestrationContext' : 'DummyEntityContext'] as new (name: string, id: string, log: () => void) => InvocationContext;
  return new ctor(`${kind}Fixture`, 'invocation', () => undefined);
}

/** Fields the library requires on an orchestration trigger / entity trigger (ReqFields classes). */
export function requiredTriggerFields(): { orchestration: string[]; entity: string[] } {
  const O = lib('orchestrations/DurableOrchestrationBindingInfo')['DurableOrchestrationBindingInfoReqFields'] as new () => object;
  const E = lib('entities/DurableEntityBindingInfo')['DurableEntityBindingInfoReqFields'] as new (self: unknown, exists: boolean, batch: unknown[]) => object;
  return { orchestration: Object.keys(new O()).sort(), entity: Object.keys(new E({ name: 'n', key: 'k' }, false, [])).sort() };
}
