/**
 * The out-of-process Durable protocol as durable-functions 3.x speaks it (the library's internal
 * shapes, no .d.ts): history events the host sends, actions and OrchestratorState it returns,
 * and the entity batch. Every constant here is a copy of one in the library's compiled JS;
 * `durable-canary.spec.ts` checks each against the installed library.
 */

/** HistoryEventType (durable-functions lib/src/history/HistoryEventType). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  GenericEvent: 17,
} as const;

/** ActionType (lib/src/actions/ActionType). */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** ReplaySchema (lib/src/orchestrations/ReplaySchema): the OOProc schema the extension announces. */
export const ReplaySchema = { V1: 0, V2: 1, V3: 2, V4: 3 } as const;

/** ReplaySchema.V3 (extension 2.x in bundle v4): long timers and HTTP polling exist; `lock` (V4) is refused by the library. */
export const UPPER_SCHEMA_VERSION = ReplaySchema.V3;

/** Timer and HTTP polling settings as the library's own test input sends them (what a test replay passes). */
export const DEFAULT_TRIGGER_TIMINGS = {
  maximumShortTimerDuration: '6.00:00:00',
  longRunningTimerIntervalDuration: '3.00:00:00',
  defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
} as const;

/** Separator the library puts between an orchestrator's error and its state (OrchestrationFailureError). */
export const OUT_OF_PROC_DATA_LABEL = '\n\n$OutOfProcData$:';

/** One history event; PascalCase fields as the extension serialises them. */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string;
  Result?: string;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: string;
  [field: string]: unknown;
}

export interface RetryOptionsWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** An action as serialised in OrchestratorState.actions (fields vary by actionType). */
export interface ActionWire {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptionsWire;
  instanceId?: string;
  operation?: string;
  fireAt?: string;
  isCanceled?: boolean;
  reason?: string;
  compoundActions?: ActionWire[];
}

export interface OrchestratorStateWire {
  isDone: boolean;
  actions: unknown[];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

/** What the orchestrationTrigger receives (DurableOrchestrationBindingInfo). */
export interface OrchestrationTriggerInput {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId?: string;
  upperSchemaVersion: number;
  maximumShortTimerDuration: string;
  longRunningTimerIntervalDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

export interface EntityOperationWire {
  id: string;
  name: string;
  signal: boolean;
  /** JSON text; absent when the operation has no input. */
  input?: string;
}

/** What the entityTrigger receives (DurableEntityBindingInfo). */
export interface EntityTriggerInput {
  self: { name: string; key: string };
  exists: boolean;
  /** JSON text. */
  state?: string;
  batch: EntityOperationWire[];
}

/** What an entity function returns (EntityState). */
export interface EntityStateWire {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; duration: number; startTime: number; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input?: string; requestId?: string; requestTime?: number }[];
}

/** OrchestrationRuntimeStatus (lib/src/orchestrations/OrchestrationRuntimeStatus). */
export const RUNTIME_STATUSES = ['Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Pending', 'Suspended'] as const;

export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Canceled', 'Terminated']);

/** Flattens WhenAll/WhenAny and the per-schema nesting into the actions in scheduling order. */
export function flattenActions(actions: readonly unknown[]): ActionWire[] {
  const out: ActionWire[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) return item.forEach(visit);
    if (!item || typeof item !== 'object') return;
    const action = item as ActionWire;
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) return (action.compoundActions ?? []).forEach(visit);
    out.push(action);
  };
  actions.forEach(visit);
  return out;
}
