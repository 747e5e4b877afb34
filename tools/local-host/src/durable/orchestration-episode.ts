import { randomUUID } from 'node:crypto';
import { ActionType, type ActionWire, EventType, flattenActions, historyEvent, type HistoryEvent, orchestratorCompleted, orchestratorStarted, type OrchestratorStateWire, type RetryOptionsWire, subOrchestrationCompleted, subOrchestrationFailed } from '@telemetry/durable-internals';
import type { InstanceRecord, OutboxPayload, RetryState } from './instance-record';
import { findNonDeterminism } from './replay-determinism';

/** What one orchestrator execution produced: its state, or a failure (with the state when the library gave one). */
export type EpisodeOutcome = { kind: 'state'; state: OrchestratorStateWire } | { kind: 'failed'; message: string; details: string; state?: OrchestratorStateWire };

export interface EpisodeOptions {
  now: number;
  newId?: () => string;
}

/** JSON text of a value (undefined -> null), as the extension serialises inputs and outputs. */
export const jsonText = (value: unknown): string => JSON.stringify(value === undefined ? null : value);

/** Activity and continueAsNew inputs went through the library's processInput: strings are already JSON. */
const processedInputText = (value: unknown): string => (typeof value === 'string' ? value : jsonText(value));

/** The library's RetryableTask waits for a timer after every failed attempt (the last one too). */
export function retryDelayMs(options: RetryOptionsWire, failedAttempt: number): number {
  const base = options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient || 1, failedAttempt - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return Math.max(0, cap && cap > 0 ? Math.min(base, cap) : base);
}

class UnsupportedActionError extends Error {}

/**
 * Applies one orchestrator episode (one new history event) to an instance, as the Durable
 * extension's out-of-process shim does: gives each newly scheduled action the next sequence
 * number (the library numbers tasks the same way), runs `...WithRetry` retries (a timer after each
 * failure, then a new attempt), appends the episode to history and records the work it created
 * (activities, timers, outbox messages). Pure: mutates and returns `record` only.
 */
export function applyEpisode(record: InstanceRecord, event: HistoryEvent, outcome: EpisodeOutcome, options: EpisodeOptions): InstanceRecord {
  const { now } = options;
  const newId = options.newId ?? randomUUID;
  const iso = new Date(now).toISOString();
  const scheduled: HistoryEvent[] = [];
  const outbox = (message: OutboxPayload): void => void record.outbox.push({ messageId: newId(), ...message });

  const scheduleAttempt = (retryOrAction: { kind: 'activity' | 'subOrchestration'; name: string; input: string }, taskId: number, subInstanceId?: string): string | undefined => {
    if (retryOrAction.kind === 'activity') {
      scheduled.push(historyEvent(EventType.TaskScheduled, now, { EventId: taskId, Name: retryOrAction.name, Input: retryOrAction.input }));
      record.activities.push({ taskId, name: retryOrAction.name, input: retryOrAction.input });
      return undefined;
    }
    const childId = subInstanceId ?? `${record.instanceId}:${taskId}`;
    scheduled.push(historyEvent(EventType.SubOrchestrationInstanceCreated, now, { EventId: taskId, Name: retryOrAction.name, InstanceId: childId, Input: retryOrAction.input }));
    outbox({ kind: 'startInstance', instanceId: childId, name: retryOrAction.name, input: retryOrAction.input, parent: { instanceId: record.instanceId, executionId: record.executionId, taskId } });
    return childId;
  };

  // 0. The library returns every action since the start. DTFx replays the history against them
  // first: a mismatch fails the instance (it wins over an error the orchestrator threw after the
  // replay), and nothing the episode would have scheduled, retries included, is scheduled.
  const state = outcome.state;
  const actions = state ? flattenActions(state.actions) : [];
  const drift = state ? findNonDeterminism(record.history, record.actionIds, actions) : undefined;

  // 1. Retries the new event drives (the library allocates these ids while processing the event).
  const failedRetry = !drift && (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed)
    ? record.retries.find((r) => r.currentTaskId === event.TaskScheduledId && r.timerId === undefined)
    : undefined;
  if (failedRetry) {
    const timerId = record.nextEventId++;
    const fireAt = new Date(now + retryDelayMs(failedRetry.options, failedRetry.attempt)).toISOString();
    failedRetry.timerId = timerId;
    scheduled.push(historyEvent(EventType.TimerCreated, now, { EventId: timerId, FireAt: fireAt }));
    record.timers.push({ timerId, fireAt });
  }
  const firedRetry = !drift && event.EventType === EventType.TimerFired ? record.retries.find((r) => r.timerId === event.TimerId) : undefined;
  if (firedRetry) {
    firedRetry.timerId = undefined;
    if (firedRetry.attempt < firedRetry.options.maxNumberOfAttempts) {
      firedRetry.attempt++;
      firedRetry.currentTaskId = record.nextEventId++;
      const childId = firedRetry.kind === 'subOrchestration' ? `${record.instanceId}:${firedRetry.currentTaskId}` : undefined;
      scheduleAttempt(firedRetry, firedRetry.currentTaskId, childId);
    } else {
      record.retries = record.retries.filter((r) => r !== firedRetry);
    }
  }
  if (event.EventType === EventType.TaskCompleted || event.EventType === EventType.SubOrchestrationInstanceCompleted) {
    record.retries = record.retries.filter((r) => r.currentTaskId !== event.TaskScheduledId);
  }
  if (event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed) {
    record.activities = record.activities.filter((a) => a.taskId !== event.TaskScheduledId);
  }
  if (event.EventType === EventType.TimerFired) record.timers = record.timers.filter((t) => t.timerId !== event.TimerId);

  // 2. Actions: the new ones are at the end.
  let failure = drift
    ? { message: drift, details: `Unhandled exception while executing orchestration: DurableTask.Core.Exceptions.NonDeterministicOrchestrationException: ${drift}` }
    : outcome.kind === 'failed' ? { message: outcome.message, details: outcome.details } : undefined;
  let continueAsNew: ActionWire | undefined;
  try {
    actions.forEach((action, index) => {
      if (index < record.actionIds.length) {
        const id = record.actionIds[index];
        // A timer whose race was lost (Task.any + cancel()) need not fire.
        if (action.actionType === ActionType.CreateTimer && action.isCanceled && id !== null && id !== undefined) record.timers = record.timers.filter((t) => t.timerId !== id);
        return;
      }
      if (failure) return;
      record.actionIds.push(scheduleAction(action));
    });
  } catch (thrown) {
    if (!(thrown instanceof UnsupportedActionError)) throw thrown;
    failure = { message: thrown.message, details: '' };
  }

  function scheduleAction(action: ActionWire): number | null {
    switch (action.actionType) {
      case ActionType.WaitForExternalEvent:
        return null;
      case ActionType.ContinueAsNew:
        continueAsNew = action;
        return null;
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = record.nextEventId++;
        const input = processedInputText(action.input);
        scheduleAttempt({ kind: 'activity', name: action.functionName ?? '', input }, id);
        if (action.actionType === ActionType.CallActivityWithRetry && action.retryOptions) {
          record.retries.push({ kind: 'activity', name: action.functionName ?? '', input, options: action.retryOptions, attempt: 1, currentTaskId: id } satisfies RetryState);
        }
        return id;
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const id = record.nextEventId++;
        const input = jsonText(action.input);
        const childId = scheduleAttempt({ kind: 'subOrchestration', name: action.functionName ?? '', input }, id, action.instanceId || undefined);
        if (action.actionType === ActionType.CallSubOrchestratorWithRetry && action.retryOptions) {
          record.retries.push({ kind: 'subOrchestration', name: action.functionName ?? '', input, options: action.retryOptions, attempt: 1, currentTaskId: id, ...(childId ? { subInstanceId: childId } : {}) });
        }
        return id;
      }
      case ActionType.CreateTimer: {
        const id = record.nextEventId++;
        const fireAt = new Date(action.fireAt ?? now).toISOString();
        scheduled.push(historyEvent(EventType.TimerCreated, now, { EventId: id, FireAt: fireAt }));
        if (!action.isCanceled) record.timers.push({ timerId: id, fireAt });
        return id;
      }
      case ActionType.CallEntity:
      case ActionType.SignalEntity: {
        const id = record.nextEventId++;
        const signal = action.actionType === ActionType.SignalEntity;
        const requestId = newId();
        const input = action.input === undefined ? undefined : JSON.stringify(action.input);
        const entity = action.instanceId ?? '';
        const request = { id: requestId, op: action.operation ?? '', signal, ...(input !== undefined ? { input } : {}), parent: record.instanceId };
        scheduled.push(historyEvent(EventType.EventSent, now, { EventId: id, Name: 'op', InstanceId: entity, Input: JSON.stringify(request) }));
        outbox({
          kind: 'entityOperation',
          entity,
          operation: { id: requestId, name: action.operation ?? '', signal, ...(input !== undefined ? { input } : {}), ...(signal ? {} : { parentInstanceId: record.instanceId, parentExecutionId: record.executionId }) },
        });
        return id;
      }
      default:
        throw new UnsupportedActionError(`the local host does not support this Durable action (actionType ${action.actionType}: callHttp and entity locks are not supported)`);
    }
  }

  // 3. History and status.
  record.history.push(...[orchestratorStarted(now), event, ...scheduled].map((e) => ({ ...e, IsPlayed: true })));
  record.lastUpdatedTime = iso;
  if (state && state.customStatus !== undefined) record.customStatus = jsonText(state.customStatus);
  if (failure) {
    finish(record, 'Failed', JSON.stringify(failure.message), now, outbox, failure);
  } else if (state?.isDone && continueAsNew) {
    restartAsNew(record, processedInputText(continueAsNew.input), newId());
  } else if (state?.isDone) {
    finish(record, 'Completed', jsonText(state.output), now, outbox);
  } else {
    record.runtimeStatus = 'Running';
    record.history.push({ ...orchestratorCompleted(now), IsPlayed: true });
  }
  return record;
}

/** Ends an instance: final history event, pending work dropped, the parent told. */
export function finish(
  record: InstanceRecord,
  status: 'Completed' | 'Failed' | 'Terminated',
  output: string,
  now: number,
  outbox: (message: OutboxPayload) => void,
  failure?: { message: string; details: string },
): void {
  record.runtimeStatus = status;
  record.output = output;
  record.lastUpdatedTime = new Date(now).toISOString();
  const type = status === 'Terminated' ? EventType.ExecutionTerminated : EventType.ExecutionCompleted;
  record.history.push({ ...historyEvent(type, now, { OrchestrationStatus: status, Result: output }), IsPlayed: true });
  record.activities = [];
  record.timers = [];
  record.retries = [];
  record.inbox = [];
  const parent = record.parent;
  if (parent) {
    const reply = status === 'Completed'
      ? subOrchestrationCompleted(now, parent.taskId, output)
      : subOrchestrationFailed(now, parent.taskId, failure?.message ?? `sub-orchestration ${record.instanceId} ${status.toLowerCase()}`, failure?.details ?? '');
    outbox({ kind: 'instanceEvent', instanceId: parent.instanceId, executionId: parent.executionId, event: reply });
  }
}

/** continueAsNew: a fresh execution with the new input; external events not yet delivered are kept. */
function restartAsNew(record: InstanceRecord, input: string, executionId: string): void {
  record.executionId = executionId;
  record.input = input;
  record.output = null;
  // As DTFx reports it until the new execution's first episode runs (then Running again).
  record.runtimeStatus = 'ContinuedAsNew';
  record.history = [];
  record.nextEventId = 0;
  record.actionIds = [];
  record.retries = [];
  record.activities = [];
  record.timers = [];
  const external = record.inbox.filter((m) => m.executionId === undefined && m.event.EventType === EventType.EventRaised);
  record.inbox = [{ event: historyEvent(EventType.ExecutionStarted, Date.parse(record.lastUpdatedTime), { Name: record.name, Input: input }), executionId }, ...external];
}
