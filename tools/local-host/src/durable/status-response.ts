import { EventType, type HistoryEvent, type RuntimeStatus } from '@telemetry/durable-internals';

/**
 * Status code of `GET instances/{id}`, as the extension's HttpApiHandler.HandleGetStatusRequestAsync
 * answers (azure-functions-durable-extension src/WebJobs.Extensions.DurableTask/HttpApiHandler.cs):
 * Running, Pending, ContinuedAsNew, Suspended -> 202 (with Location = the request URL and
 * Retry-After: 5); Failed -> 200, or 500 with `returnInternalServerErrorOnFailure=true`;
 * Completed, Canceled, Terminated -> 200.
 */
export function statusCodeFor(status: RuntimeStatus, returnInternalServerErrorOnFailure: boolean): number {
  switch (status) {
    case 'Running':
    case 'Pending':
    case 'ContinuedAsNew':
    case 'Suspended':
      return 202;
    case 'Failed':
      return returnInternalServerErrorOnFailure ? 500 : 200;
    case 'Completed':
    case 'Canceled':
    case 'Terminated':
      return 200;
    default:
      return 500;
  }
}

/** Seconds the extension asks pollers to wait on a 202 (HttpApiHandler: "Some clients will otherwise retry in a tight loop"). */
export const STATUS_RETRY_AFTER_SECONDS = 5;

const EVENT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(EventType).map(([name, value]) => [value, name]));

const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export interface HistoryViewOptions {
  showHistoryOutput: boolean;
  showInput: boolean;
}

/**
 * `historyEvents` as the extension's DurableClient.GetDurableOrchestrationStatusAsync shapes them
 * (src/WebJobs.Extensions.DurableTask/ContextImplementations/DurableClient.cs):
 * - EventType as its name; EventId and IsPlayed removed; OrchestratorStarted/Completed dropped;
 * - ExecutionStarted: `Name` becomes `FunctionName`;
 * - TaskScheduled (and SubOrchestrationInstanceCreated) folded into their TaskCompleted/TaskFailed
 *   (SubOrchestrationInstanceCompleted/Failed), which gain `FunctionName`, `ScheduledTime` and, with
 *   showInput, the scheduled `Input`; `TaskScheduledId` removed; a still-pending one stays listed;
 * - Result of completions and ExecutionCompleted only with showHistoryOutput, as parsed JSON;
 * - ExecutionCompleted carries `OrchestrationStatus`; TimerFired loses `TimerId`;
 * - without showInput no event has `Input`.
 * The local store keeps one ExecutionTerminated event for a termination; DTFx records
 * ExecutionTerminated (Input = reason) then ExecutionCompleted (Terminated): both are shown.
 */
export function historyView(history: readonly HistoryEvent[], options: HistoryViewOptions): Record<string, unknown>[] {
  const scheduled = new Map<string, { index: number; event: HistoryEvent }>();
  const folded = new Set<number>();
  const out: { index: number; item: Record<string, unknown> }[] = [];
  history.forEach((event, index) => {
    const type = event.EventType;
    if (type === EventType.OrchestratorStarted || type === EventType.OrchestratorCompleted) return;
    const item: Record<string, unknown> = { EventType: EVENT_NAMES[type] ?? String(type), Timestamp: event.Timestamp };
    const copy = (...fields: string[]): void => {
      for (const f of fields) if (event[f] !== undefined && event[f] !== null) item[f] = event[f];
    };
    switch (type) {
      case EventType.ExecutionStarted:
        item['FunctionName'] = event.Name;
        copy('Input');
        break;
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        copy('Name', 'InstanceId', 'Input');
        scheduled.set(`${type}_${event.EventId}`, { index, event });
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed: {
        const createdType = type === EventType.TaskCompleted || type === EventType.TaskFailed ? EventType.TaskScheduled : EventType.SubOrchestrationInstanceCreated;
        const origin = scheduled.get(`${createdType}_${event.TaskScheduledId}`);
        if (type === EventType.TaskCompleted || type === EventType.SubOrchestrationInstanceCompleted) {
          if (options.showHistoryOutput) item['Result'] = parseJson(event.Result);
        } else copy('Reason', 'Details');
        if (origin) {
          item['ScheduledTime'] = origin.event.Timestamp;
          item['FunctionName'] = origin.event.Name;
          if (origin.event.Input !== undefined) item['Input'] = origin.event.Input;
          folded.add(origin.index);
        }
        break;
      }
      case EventType.ExecutionCompleted:
        item['OrchestrationStatus'] = event.OrchestrationStatus;
        if (options.showHistoryOutput) item['Result'] = parseJson(event.Result);
        copy('Details');
        break;
      case EventType.ExecutionTerminated: {
        // DTFx keeps the reason as given; the local record holds the output as JSON text.
        const reason = parseJson(event.Result ?? event.Input);
        item['Input'] = typeof reason === 'string' || reason === null ? reason : (event.Result ?? event.Input);
        out.push({ index, item });
        const completed: Record<string, unknown> = { EventType: 'ExecutionCompleted', Timestamp: event.Timestamp, OrchestrationStatus: 'Terminated' };
        if (options.showHistoryOutput) completed['Result'] = parseJson(event.Result ?? event.Input);
        if (!options.showInput) delete item['Input'];
        return void out.push({ index, item: completed });
      }
      case EventType.TimerCreated:
      case EventType.TimerFired:
        copy('FireAt');
        break;
      default:
        copy('Name', 'InstanceId', 'Input', 'Reason', 'Details');
    }
    if (!options.showInput) delete item['Input'];
    out.push({ index, item });
  });
  return out.filter((entry) => !folded.has(entry.index)).map((entry) => entry.item);
}
