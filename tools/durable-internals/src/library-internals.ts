/**
 * The only deep imports of durable-functions in the workspace: internal modules of the pinned
 * 3.5.0 (no .d.ts). `durable-canary.spec.ts` checks every constant in wire.ts against them, so an
 * upgrade that moves or renumbers anything fails there first. Each module is required when first
 * used: the local host's compiled bundle only needs wire.ts and never loads these.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- internal modules without typings */
import type { InvocationContext } from '@azure/functions';

type Module = Record<string, unknown>;
type Enum = Record<string, number | string>;

export type OrchestratorListener = (trigger: unknown, context: InvocationContext) => Promise<unknown>;
export type EntityListener = (trigger: unknown, context: InvocationContext) => Promise<unknown>;

const testingUtils = (): Module => require('durable-functions/lib/src/util/testingUtils') as Module;

export const durableFunctionsVersion = (): string => (require('durable-functions/package.json') as { version: string }).version;

/** lib/src/history/HistoryEventType: the numbers of the history events the host sends. */
export const libraryHistoryEventType = (): Enum => (require('durable-functions/lib/src/history/HistoryEventType') as Module)['HistoryEventType'] as Enum;

/** lib/src/actions/ActionType: the numbers of the actions an orchestrator returns. */
export const libraryActionType = (): Enum => (require('durable-functions/lib/src/actions/ActionType') as Module)['ActionType'] as Enum;

/** lib/src/orchestrations/ReplaySchema: the out-of-process schema versions the extension may announce. */
export const libraryReplaySchema = (): Enum => (require('durable-functions/lib/src/orchestrations/ReplaySchema') as Module)['ReplaySchema'] as Enum;

/** lib/src/orchestrations/OrchestrationRuntimeStatus (a string enum). */
export const libraryRuntimeStatus = (): Enum => (require('durable-functions/lib/src/orchestrations/OrchestrationRuntimeStatus') as Module)['OrchestrationRuntimeStatus'] as Enum;

/** The separator OrchestrationFailureError puts between an error and the state (a module-private constant: read from a message). */
export function libraryOutOfProcDataLabel(): string {
  const OrchestrationFailureError = (require('durable-functions/lib/src/error/OrchestrationFailureError') as Module)['OrchestrationFailureError'] as new (error: string, state: unknown) => Error;
  const message = new OrchestrationFailureError('E', null).message;
  return message.slice('E'.length, -'null'.length);
}

/** Timer and HTTP polling settings the library's own test input sends (testingUtils.DurableOrchestrationInput defaults). */
export function libraryTestTriggerDefaults(): { maximumShortTimerDuration: unknown; longRunningTimerIntervalDuration: unknown; defaultHttpAsyncRequestSleepTimeMillseconds: unknown } {
  const Input = testingUtils()['DurableOrchestrationInput'] as new () => Record<string, unknown>;
  const input = new Input();
  return {
    maximumShortTimerDuration: input['maximumShortTimerDuration'],
    longRunningTimerIntervalDuration: input['longRunningTimerIntervalDuration'],
    defaultHttpAsyncRequestSleepTimeMillseconds: input['defaultHttpAsyncRequestSleepTimeMillseconds'],
  };
}

/** The wrapper `df.app.orchestration` registers (testingUtils.createOrchestrator): the library's replay engine. */
export function createOrchestrator(fn: (context: never) => Generator<unknown, unknown, unknown>): OrchestratorListener {
  return (testingUtils()['createOrchestrator'] as (f: typeof fn) => OrchestratorListener)(fn);
}

/** The wrapper `df.app.entity` registers (testingUtils.createEntityFunction). */
export function createEntityFunction(fn: (context: never) => unknown): EntityListener {
  return (testingUtils()['createEntityFunction'] as (f: typeof fn) => EntityListener)(fn);
}

/** An InvocationContext with the `df` slot the library fills (DummyOrchestrationContext / DummyEntityContext). */
export function dummyContext(kind: 'orchestration' | 'entity', functionName = `${kind}Fixture`, invocationId = 'invocation'): InvocationContext {
  const ctor = testingUtils()[kind === 'orchestration' ? 'DummyOrchestrationContext' : 'DummyEntityContext'] as new (name: string, id: string, log: () => void) => InvocationContext;
  return new ctor(functionName, invocationId, () => undefined);
}

/** Fields the library requires on an orchestration trigger / entity trigger (ReqFields classes). */
export function requiredTriggerFields(): { orchestration: string[]; entity: string[] } {
  const O = (require('durable-functions/lib/src/orchestrations/DurableOrchestrationBindingInfo') as Module)['DurableOrchestrationBindingInfoReqFields'] as new () => object;
  const E = (require('durable-functions/lib/src/entities/DurableEntityBindingInfo') as Module)['DurableEntityBindingInfoReqFields'] as new (self: unknown, exists: boolean, batch: unknown[]) => object;
  return { orchestration: Object.keys(new O()).sort(), entity: Object.keys(new E({ name: 'n', key: 'k' }, false, [])).sort() };
}
