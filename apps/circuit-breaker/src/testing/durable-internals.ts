import type { InvocationContext } from '@azure/functions';
import type { EntityHandler, OrchestrationHandler } from 'durable-functions';

/**
 * The durable-functions library's own replay engine, as its tests use it. These are internal
 * entry points (no typings, deep import) of durable-functions 3.5.0, pinned exactly in
 * package.json; unchanged since 3.0.0. `durable-engine.spec.ts` is the canary if they move:
 *   lib/src/util/testingUtils: createOrchestrator(fn) -> (trigger, ctx) => OrchestratorState,
 *   createEntityFunction(fn) -> (trigger, ctx) => EntityState, DummyOrchestrationContext,
 *   DummyEntityContext (InvocationContext subclasses with a `df` slot).
 */
interface TestingUtils {
  createOrchestrator(fn: OrchestrationHandler): (trigger: unknown, context: InvocationContext) => Promise<unknown>;
  createEntityFunction<T>(fn: EntityHandler<T>): (trigger: unknown, context: InvocationContext) => Promise<unknown>;
  DummyOrchestrationContext: new (functionName?: string, invocationId?: string, logHandler?: () => void) => InvocationContext;
  DummyEntityContext: new (functionName?: string, invocationId?: string, logHandler?: () => void) => InvocationContext;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const durableTesting = require('durable-functions/lib/src/util/testingUtils') as TestingUtils;

/** History event types (durable-functions lib/src/history/HistoryEventType). */
export const HistoryEventType = {
  ExecutionStarted: 0, TaskScheduled: 4, TaskCompleted: 5, TaskFailed: 6, TimerCreated: 10, TimerFired: 11,
  OrchestratorStarted: 12, OrchestratorCompleted: 13, EventSent: 14, EventRaised: 15,
} as const;

/** Action types (durable-functions lib/src/actions/ActionType). */
export const ActionType = {
  CallActivity: 0, CallActivityWithRetry: 1, ContinueAsNew: 4, CreateTimer: 5, WaitForExternalEvent: 6, CallEntity: 7, SignalEntity: 9, WhenAny: 11, WhenAll: 12,
} as const;

/** OOProc replay schema the Functions extension announces (V3 = extension 2.x in bundle v4). */
export const ReplaySchema = { V1: 0, V2: 1, V3: 2, V4: 3 } as const;
