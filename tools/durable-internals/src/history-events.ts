import { EventType, type HistoryEvent } from './wire';

type Fields = Omit<HistoryEvent, 'EventType' | 'EventId' | 'IsPlayed' | 'Timestamp'>;

/** Builds a history event as the extension would serialise it. */
export function historyEvent(type: number, at: number, fields: Partial<Fields> & { EventId?: number } = {}): HistoryEvent {
  const { EventId, ...rest } = fields;
  return { EventType: type, EventId: EventId ?? -1, IsPlayed: false, Timestamp: new Date(at).toISOString(), ...rest };
}

export const orchestratorStarted = (at: number): HistoryEvent => historyEvent(EventType.OrchestratorStarted, at);
export const orchestratorCompleted = (at: number): HistoryEvent => historyEvent(EventType.OrchestratorCompleted, at);
export const executionStarted = (at: number, name: string, input: string | null): HistoryEvent =>
  historyEvent(EventType.ExecutionStarted, at, { Name: name, ...(input !== null ? { Input: input } : {}) });
export const eventRaised = (at: number, name: string, input: string | undefined): HistoryEvent =>
  historyEvent(EventType.EventRaised, at, { Name: name, ...(input !== undefined ? { Input: input } : {}) });
export const taskCompleted = (at: number, taskId: number, result: string): HistoryEvent =>
  historyEvent(EventType.TaskCompleted, at, { TaskScheduledId: taskId, Result: result });
export const taskFailed = (at: number, taskId: number, reason: string, details: string): HistoryEvent =>
  historyEvent(EventType.TaskFailed, at, { TaskScheduledId: taskId, Reason: reason, Details: details });
export const timerFired = (at: number, timerId: number, fireAt: string): HistoryEvent => historyEvent(EventType.TimerFired, at, { TimerId: timerId, FireAt: fireAt });
export const subOrchestrationCompleted = (at: number, taskId: number, result: string): HistoryEvent =>
  historyEvent(EventType.SubOrchestrationInstanceCompleted, at, { TaskScheduledId: taskId, Result: result });
export const subOrchestrationFailed = (at: number, taskId: number, reason: string, details: string): HistoryEvent =>
  historyEvent(EventType.SubOrchestrationInstanceFailed, at, { TaskScheduledId: taskId, Reason: reason, Details: details });
