import type { EntityOperationWire, HistoryEvent, RetryOptionsWire, RuntimeStatus } from '@telemetry/durable-internals';

/** Work the engine owes an orchestration: an activity attempt to run. */
export interface PendingActivity {
  taskId: number;
  name: string;
  /** JSON text. */
  input: string;
}

export interface PendingTimer {
  timerId: number;
  fireAt: string;
}

/** A callActivityWithRetry / callSubOrchestratorWithRetry in progress (the host runs the retries). */
export interface RetryState {
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: string;
  options: RetryOptionsWire;
  attempt: number;
  currentTaskId: number;
  timerId?: number;
  subInstanceId?: string;
}

/** A message for another instance or entity, kept until delivered (at least once). */
export type OutboxPayload =
  | { kind: 'entityOperation'; entity: string; operation: EntityOperationWire & { parentInstanceId?: string; parentExecutionId?: string } }
  | { kind: 'instanceEvent'; instanceId: string; executionId?: string; event: HistoryEvent }
  | { kind: 'startInstance'; instanceId: string; name: string; input: string | null; parent: ParentLink };

export type OutboxMessage = { messageId: string } & OutboxPayload;

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskId: number;
}

export interface InboxMessage {
  event: HistoryEvent;
  /** Set for replies to this execution's own work (dropped after continueAsNew); unset for external events. */
  executionId?: string;
}

/** Everything the task hub keeps about one orchestration instance (one document). */
export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON texts (null = none). */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  parent?: ParentLink;
  history: HistoryEvent[];
  inbox: InboxMessage[];
  /** Next task/timer id; matches the library's sequence numbers. */
  nextEventId: number;
  /** Event id given to each action index so far (null: actions without one). */
  actionIds: (number | null)[];
  retries: RetryState[];
  activities: PendingActivity[];
  timers: PendingTimer[];
  outbox: OutboxMessage[];
  seenMessageIds: string[];
}

export interface EntityOperation extends EntityOperationWire {
  parentInstanceId?: string;
  parentExecutionId?: string;
}

/** One entity (one document): state plus its queue of operations, processed in order. */
export interface EntityRecord {
  /** `@name@key` with the name lower-cased (the library's scheduler id). */
  schedulerId: string;
  name: string;
  key: string;
  exists: boolean;
  /** JSON text. */
  state?: string;
  inbox: EntityOperation[];
  outbox: OutboxMessage[];
  seenMessageIds: string[];
  lastModifiedTime: string;
}

export function entitySchedulerId(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

export function parseSchedulerId(id: string): { name: string; key: string } {
  const at = id.indexOf('@', 1);
  return { name: id.substring(1, at), key: id.substring(at + 1) };
}

export function newInstanceRecord(options: { instanceId: string; name: string; input: string | null; now: number; executionId: string; parent?: ParentLink }): InstanceRecord {
  const time = new Date(options.now).toISOString();
  return {
    instanceId: options.instanceId,
    name: options.name,
    executionId: options.executionId,
    runtimeStatus: 'Pending',
    input: options.input,
    output: null,
    customStatus: null,
    createdTime: time,
    lastUpdatedTime: time,
    ...(options.parent ? { parent: options.parent } : {}),
    history: [],
    inbox: [],
    nextEventId: 0,
    actionIds: [],
    retries: [],
    activities: [],
    timers: [],
    outbox: [],
    seenMessageIds: [],
  };
}
