import { ActionType, type ActionWire, EventType, type HistoryEvent } from '@telemetry/durable-internals';

/**
 * The DTFx orchestrator action an out-of-process action becomes when the extension's
 * OutOfProcOrchestrationShim replays it (CallActivityAsync -> ScheduleTask, CreateTimer,
 * CallSubOrchestratorAsync -> CreateSubOrchestrationInstance, entity calls and signals ->
 * SendEvent "op"); undefined for actions that take no sequence number (external events,
 * continueAsNew). callHttp is the built-in HTTP activity.
 */
function dtfxActionOf(action: ActionWire): { type: string; name: string } | undefined {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { type: 'ScheduleTaskOrchestratorAction', name: action.functionName ?? '' };
    case ActionType.CallHttp:
      return { type: 'ScheduleTaskOrchestratorAction', name: 'BuiltIn::HttpActivity' };
    case ActionType.CreateTimer:
      return { type: 'CreateTimerOrchestratorAction', name: '' };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return { type: 'CreateSubOrchestrationAction', name: action.functionName ?? '' };
    case ActionType.CallEntity:
    case ActionType.SignalEntity:
      return { type: 'SendEventOrchestratorAction', name: 'op' };
    default:
      return undefined;
  }
}

const CHANGED = 'Was a change made to the orchestrator code after this instance had already started running?';
/** NonDeterministicOrchestrationException(eventId, details).Message. */
const nonDeterministic = (details: string): string => `Non-Deterministic workflow detected: ${details}`;
/** String.Equals(..., StringComparison.OrdinalIgnoreCase). */
const sameName = (a: string | undefined, b: string): boolean => (a ?? '').toUpperCase() === b.toUpperCase();

/**
 * The replay check DTFx makes for every scheduling event in history (TaskOrchestrationContext
 * HandleTaskScheduledEvent / HandleTimerCreatedEvent / HandleSubOrchestrationCreatedEvent /
 * HandleEventSentEvent): the action the replay produced with the same sequence number must exist,
 * be of the same kind, and (activities, sub-orchestrations, events) carry the same name, compared
 * case-insensitively. Inputs, timer times and sub-orchestration instance ids are not compared, and
 * actions past the end of history are new work. Returns the failure message
 * (NonDeterministicOrchestrationException's), or undefined when the replay matches.
 *
 * `recordedIds` are the sequence numbers the host gave the actions of earlier episodes (null for
 * actions without one); `actions` are all actions the library returned this episode. Sequence
 * numbers go to the actions that take one in order, as the shim replays them; the ids a retry took
 * for its later attempts and timers belong to that retry and are not paired here.
 */
export function findNonDeterminism(history: readonly HistoryEvent[], recordedIds: readonly (number | null)[], actions: readonly ActionWire[]): string | undefined {
  const scheduledById = new Map<number, HistoryEvent>();
  for (const e of history) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated || e.EventType === EventType.SubOrchestrationInstanceCreated || e.EventType === EventType.EventSent) {
      if (!scheduledById.has(e.EventId)) scheduledById.set(e.EventId, e);
    }
  }
  const ids = recordedIds.filter((id): id is number => id !== null && id !== undefined);
  const replayed = actions.map(dtfxActionOf).filter((a): a is { type: string; name: string } => a !== undefined);
  for (const [k, id] of ids.entries()) {
    const event = scheduledById.get(id);
    if (!event) continue;
    const current = replayed[k];
    const message = mismatch(event, id, current);
    if (message) return nonDeterministic(message);
  }
  return undefined;
}

function mismatch(event: HistoryEvent, id: number, current: { type: string; name: string } | undefined): string | undefined {
  const name = event.Name ?? '';
  const version = '';
  switch (event.EventType) {
    case EventType.TaskScheduled:
      if (!current) return `A previous execution of this orchestration scheduled an activity task with sequence ID ${id} and name '${name}' (version '${version}'), but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (current.type !== 'ScheduleTaskOrchestratorAction') return `A previous execution of this orchestration scheduled an activity task with sequence number ${id} named '${name}', but the current orchestration replay instead produced a ${current.type} action with this sequence number. ${CHANGED}`;
      // Two spaces before "Was", as DTFx words it.
      if (!sameName(name, current.name)) return `A previous execution of this orchestration scheduled an activity task with sequence number ${id} named '${name}', but the current orchestration replay instead scheduled an activity task named '${current.name}' with this sequence number.  ${CHANGED}`;
      return undefined;
    case EventType.TimerCreated:
      if (!current) return `A previous execution of this orchestration scheduled a timer task with sequence number ${id} but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      // "named but", as DTFx words it.
      if (current.type !== 'CreateTimerOrchestratorAction') return `A previous execution of this orchestration scheduled a timer task with sequence number ${id} named but the current orchestration replay instead produced a ${current.type} action with this sequence number. ${CHANGED}`;
      return undefined;
    case EventType.SubOrchestrationInstanceCreated: {
      const what = `A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID ${id} and name '${name}' (version '${version}', instance ID '${event.InstanceId ?? ''}')`;
      if (!current) return `${what}, but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (current.type !== 'CreateSubOrchestrationAction') return `${what}, but the current orchestration replay instead produced a ${current.type} action at this sequence number. ${CHANGED}`;
      if (!sameName(name, current.name)) return `${what}, but the current orchestration replay instead scheduled a sub-orchestration task with name ${current.name} at this sequence number. ${CHANGED}`;
      return undefined;
    }
    case EventType.EventSent: {
      const target = `name '${name}', instance ID '${event.InstanceId ?? ''}'`;
      if (!current) return `A previous execution of this orchestration scheduled a send event task with sequence ID ${id}, type 'EventSent' ${target}, but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (current.type !== 'SendEventOrchestratorAction') return `A previous execution of this orchestration scheduled a send event task with sequence ID ${id}, type 'EventSent', ${target}, but the current orchestration replay instead scheduled a ${current.type} task at this sequence number. ${CHANGED}`;
      return undefined;
    }
    default:
      return undefined;
  }
}
