import { EventType, executionStarted, historyEvent, orchestratorCompleted, orchestratorStarted, taskCompleted, taskFailed, timerFired, type RuntimeStatus } from '@telemetry/durable-internals';
import { historyView, statusCodeFor } from './status-response';

const t = (s: number): number => Date.UTC(2026, 0, 1, 0, 0, s);
const iso = (s: number): string => new Date(t(s)).toISOString();

describe('status response as the Durable extension gives it (HttpApiHandler, DurableClient)', () => {
  it('maps runtime status to 202 / 200 / 500 as HandleGetStatusRequestAsync does', () => {
    const codes = (flag: boolean): Record<string, number> =>
      Object.fromEntries((['Running', 'Pending', 'ContinuedAsNew', 'Suspended', 'Completed', 'Canceled', 'Terminated', 'Failed'] as RuntimeStatus[]).map((s) => [s, statusCodeFor(s, flag)]));
    expect(codes(false)).toEqual({ Running: 202, Pending: 202, ContinuedAsNew: 202, Suspended: 202, Completed: 200, Canceled: 200, Terminated: 200, Failed: 200 });
    expect(codes(true)).toMatchObject({ Failed: 500, Terminated: 200, Completed: 200, Running: 202 });
  });

  const history = [
    orchestratorStarted(t(0)),
    executionStarted(t(0), 'flow', '{"n":1}'),
    historyEvent(EventType.TaskScheduled, t(0), { EventId: 0, Name: 'greet', Input: '"ann"' }),
    historyEvent(EventType.TaskScheduled, t(0), { EventId: 1, Name: 'flaky', Input: '1' }),
    historyEvent(EventType.TimerCreated, t(0), { EventId: 2, FireAt: iso(60) }),
    orchestratorCompleted(t(0)),
    orchestratorStarted(t(1)),
    taskCompleted(t(1), 0, '"hello ann"'),
    taskFailed(t(2), 1, 'boom', 'stack'),
    timerFired(t(60), 2, iso(60)),
    historyEvent(EventType.TaskScheduled, t(61), { EventId: 3, Name: 'pending', Input: 'null' }),
    { ...historyEvent(EventType.ExecutionCompleted, t(62), { OrchestrationStatus: 'Completed', Result: '{"ok":true}' }), IsPlayed: true },
  ];

  it('folds TaskScheduled into TaskCompleted/TaskFailed, names FunctionName, hides ids, adds OrchestrationStatus', () => {
    expect(historyView(history, { showHistoryOutput: true, showInput: true })).toEqual([
      { EventType: 'ExecutionStarted', Timestamp: iso(0), FunctionName: 'flow', Input: '{"n":1}' },
      { EventType: 'TimerCreated', Timestamp: iso(0), FireAt: iso(60) },
      { EventType: 'TaskCompleted', Timestamp: iso(1), Result: 'hello ann', ScheduledTime: iso(0), FunctionName: 'greet', Input: '"ann"' },
      { EventType: 'TaskFailed', Timestamp: iso(2), Reason: 'boom', Details: 'stack', ScheduledTime: iso(0), FunctionName: 'flaky', Input: '1' },
      { EventType: 'TimerFired', Timestamp: iso(60), FireAt: iso(60) },
      { EventType: 'TaskScheduled', Timestamp: iso(61), Name: 'pending', Input: 'null' },
      { EventType: 'ExecutionCompleted', Timestamp: iso(62), OrchestrationStatus: 'Completed', Result: { ok: true } },
    ]);
  });

  it('shows results only with showHistoryOutput and inputs only with showInput', () => {
    const view = historyView(history, { showHistoryOutput: false, showInput: false });
    expect(view.some((e) => 'Result' in e || 'Input' in e)).toBe(false);
    expect(view.find((e) => e['EventType'] === 'TaskCompleted')).toEqual({ EventType: 'TaskCompleted', Timestamp: iso(1), ScheduledTime: iso(0), FunctionName: 'greet' });
  });

  it('a termination reads ExecutionTerminated (reason) then ExecutionCompleted with OrchestrationStatus Terminated', () => {
    const terminated = [executionStarted(t(0), 'flow', null), historyEvent(EventType.ExecutionTerminated, t(5), { OrchestrationStatus: 'Terminated', Result: 'stop' })];
    expect(historyView(terminated, { showHistoryOutput: true, showInput: true }).slice(1)).toEqual([
      { EventType: 'ExecutionTerminated', Timestamp: iso(5), Input: 'stop' },
      { EventType: 'ExecutionCompleted', Timestamp: iso(5), OrchestrationStatus: 'Terminated', Result: 'stop' },
    ]);
  });
});
