import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { ActionType, createOrchestrator, dummyContext, eventRaised, EventType, executionStarted, flattenActions, type HistoryEvent, type OrchestratorStateWire, OUT_OF_PROC_DATA_LABEL, taskCompleted, taskFailed, timerFired, UPPER_SCHEMA_VERSION } from '@telemetry/durable-internals';
import { newInstanceRecord, type InstanceRecord } from './instance-record';
import { applyEpisode, type EpisodeOutcome } from './orchestration-episode';

type Orchestrator = (context: OrchestrationContext) => Generator<unknown, unknown, unknown>;

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Runs one episode through the library's real replay engine (what the host's executor does). */
async function replay(fn: Orchestrator, record: InstanceRecord, event: HistoryEvent, now: number): Promise<EpisodeOutcome> {
  const payload = {
    history: [...record.history, { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: new Date(now).toISOString() }, event],
    input: record.input === null ? null : JSON.parse(record.input),
    instanceId: record.instanceId,
    isReplaying: false,
    upperSchemaVersion: UPPER_SCHEMA_VERSION,
    maximumShortTimerDuration: '36500.00:00:00',
    longRunningTimerIntervalDuration: '36500.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  try {
    const state = await createOrchestrator(fn as never)(JSON.parse(JSON.stringify(payload)), dummyContext('orchestration'));
    return { kind: 'state', state: JSON.parse(JSON.stringify(state)) as OrchestratorStateWire };
  } catch (thrown) {
    const text = (thrown as Error).message;
    const state = JSON.parse(text.slice(text.indexOf(OUT_OF_PROC_DATA_LABEL) + OUT_OF_PROC_DATA_LABEL.length)) as OrchestratorStateWire;
    return { kind: 'failed', message: state.error ?? text, details: '', state };
  }
}

/**
 * An in-memory task hub for one instance: activities answer at once through `activity`, entity
 * calls through `entity`; timers fire when the test says. Every episode goes through the library.
 */
class Harness {
  record: InstanceRecord;
  now = T0;
  readonly episodes: EpisodeOutcome[] = [];
  /** runtimeStatus after each episode. */
  readonly statuses: string[] = [];

  constructor(
    private readonly fn: Orchestrator,
    input: unknown,
    private readonly activity: (name: string, input: unknown) => unknown,
    private readonly entity: (op: string, input: unknown) => unknown = () => undefined,
  ) {
    this.record = newInstanceRecord({ instanceId: 'unit', name: 'unit', input: JSON.stringify(input), now: T0, executionId: 'e1' });
    this.record.inbox.push({ event: executionStarted(T0, 'unit', this.record.input), executionId: 'e1' });
  }

  /** Processes the inbox (and the work it creates) until nothing is left but timers and waits. */
  async settle(): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      this.runWork();
      const message = this.record.inbox.shift();
      if (!message) return;
      if (message.executionId && message.executionId !== this.record.executionId) continue;
      const outcome = await replay(this.fn, this.record, message.event, this.now);
      this.episodes.push(outcome);
      let n = 0;
      applyEpisode(this.record, message.event, outcome, { now: this.now, newId: () => `id-${this.record.history.length}-${n++}` });
      this.statuses.push(this.record.runtimeStatus);
    }
    throw new Error('did not settle');
  }

  advance(ms: number): void {
    this.now += ms;
    for (const timer of this.record.timers.filter((t) => Date.parse(t.fireAt) <= this.now)) {
      this.record.timers = this.record.timers.filter((t) => t !== timer);
      this.record.inbox.push({ event: timerFired(this.now, timer.timerId, timer.fireAt), executionId: this.record.executionId });
    }
  }

  raise(name: string, value: unknown): void {
    this.record.inbox.push({ event: eventRaised(this.now, name, JSON.stringify(value)) });
  }

  private runWork(): void {
    for (const activity of this.record.activities.splice(0)) {
      let event: HistoryEvent;
      try {
        event = taskCompleted(this.now, activity.taskId, JSON.stringify(this.activity(activity.name, JSON.parse(activity.input)) ?? null));
      } catch (thrown) {
        event = taskFailed(this.now, activity.taskId, (thrown as Error).message, '');
      }
      this.record.inbox.push({ event, executionId: this.record.executionId });
    }
    for (const message of this.record.outbox.splice(0)) {
      if (message.kind !== 'entityOperation' || message.operation.signal) continue;
      const result = this.entity(message.operation.name, message.operation.input ? JSON.parse(message.operation.input) : undefined);
      const response = result === undefined ? {} : { result: JSON.stringify(result) };
      this.record.inbox.push({ event: eventRaised(this.now, message.operation.id, JSON.stringify(response)), executionId: this.record.executionId });
    }
  }
}

describe('orchestrator episodes replayed through durable-functions', () => {
  it('first episode: the library asks for the activity; the host numbers it 0 and records TaskScheduled', async () => {
    const fn: Orchestrator = function* (context) {
      const greeting: unknown = yield context.df.callActivity('greet', 'bob');
      return greeting;
    };
    const record = newInstanceRecord({ instanceId: 'a', name: 'a', input: null, now: T0, executionId: 'e' });
    const start = executionStarted(T0, 'a', null);
    const outcome = await replay(fn, record, start, T0);
    expect(outcome.kind).toBe('state');
    expect(flattenActions(outcome.state!.actions)).toEqual([{ actionType: ActionType.CallActivity, functionName: 'greet', input: '"bob"' }]);
    expect(outcome.state!.isDone).toBe(false);
    applyEpisode(record, start, outcome, { now: T0 });
    expect(record.activities).toEqual([{ taskId: 0, name: 'greet', input: '"bob"' }]);
    expect(record.history.map((e) => e.EventType)).toEqual([EventType.OrchestratorStarted, EventType.ExecutionStarted, EventType.TaskScheduled, EventType.OrchestratorCompleted]);
    expect(record.runtimeStatus).toBe('Running');
  });

  it('activity, entity call and signal, a retried activity, custom status, then an approval that beats the timer', async () => {
    let flakyCalls = 0;
    const fn: Orchestrator = function* (context) {
      const breaker = new df.EntityId('breaker', 'k');
      const greeting: unknown = yield context.df.callActivity('greet', 'bob');
      const trips: unknown = yield context.df.callEntity(breaker, 'trip', 1);
      context.df.signalEntity(breaker, 'note', 'x');
      const attempt: unknown = yield context.df.callActivityWithRetry('flaky', new df.RetryOptions(1000, 3));
      context.df.setCustomStatus('waiting');
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
      const approval = context.df.waitForExternalEvent('approve');
      const winner: unknown = yield context.df.Task.any([approval, timer]);
      if (winner === approval) timer.cancel();
      return { greeting, trips, attempt, decision: winner === approval ? approval.result : 'cooldown' };
    };
    const h = new Harness(fn, null, (name, input) => {
      if (name === 'greet') return `hello ${String(input)}`;
      flakyCalls++;
      if (flakyCalls < 3) throw new Error(`attempt ${flakyCalls}`);
      return flakyCalls;
    }, (op, input) => (op === 'trip' ? Number(input) + 1 : undefined));

    await h.settle();
    // First failure of the retried activity: the host created the retry timer (id 4, after the signal's id 3).
    expect(h.record.timers).toEqual([{ timerId: 4, fireAt: new Date(T0 + 1000).toISOString() }]);
    h.advance(1000);
    await h.settle();
    h.advance(2000); // second retry (no backoff coefficient: 1 s again)
    await h.settle();
    expect(flakyCalls).toBe(3);
    expect(JSON.parse(h.record.customStatus!)).toBe('waiting');
    expect(h.record.timers).toHaveLength(1); // the cooldown
    h.raise('approve', { by: 'ops' });
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Completed');
    expect(JSON.parse(h.record.output!)).toEqual({ greeting: 'hello bob', trips: 2, attempt: 3, decision: { by: 'ops' } });
    expect(h.record.timers).toEqual([]);
    expect(h.episodes.every((e) => e.kind === 'state')).toBe(true);
    // Ids the host gave match the library's: every completion found its task.
    const scheduled = h.record.history.filter((e) => e.EventType === EventType.TaskScheduled).map((e) => [e.EventId, e.Name]);
    expect(scheduled).toEqual([[0, 'greet'], [3, 'flaky'], [5, 'flaky'], [7, 'flaky']]);
    expect(h.record.history.filter((e) => e.EventType === EventType.EventSent).map((e) => e.EventId)).toEqual([1, 2]);
  });

  it('the cooldown timer wins when no approval comes', async () => {
    const fn: Orchestrator = function* (context) {
      const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
      const approval = context.df.waitForExternalEvent('approve');
      const winner: unknown = yield context.df.Task.any([approval, timer]);
      return winner === timer ? 'cooldown' : 'approved';
    };
    const h = new Harness(fn, null, () => undefined);
    await h.settle();
    h.advance(59_999);
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Running');
    h.advance(1);
    await h.settle();
    expect(JSON.parse(h.record.output!)).toBe('cooldown');
  });

  it('a retried activity that keeps failing fails the orchestration after maxNumberOfAttempts', async () => {
    const fn: Orchestrator = function* (context) {
      yield context.df.callActivityWithRetry('boom', new df.RetryOptions(500, 2));
      return 'unreachable';
    };
    const h = new Harness(fn, null, () => {
      throw new Error('always');
    });
    await h.settle();
    h.advance(500);
    await h.settle();
    h.advance(500);
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Failed');
    expect(JSON.parse(h.record.output!)).toContain('always');
    expect(h.record.history.filter((e) => e.EventType === EventType.TaskScheduled)).toHaveLength(2);
  });

  it('continueAsNew starts a fresh execution with the new input and keeps undelivered external events', async () => {
    const fn: Orchestrator = function* (context) {
      const round = context.df.getInput() as number;
      const value: unknown = yield context.df.waitForExternalEvent('tick');
      if (round >= 2) return `done at ${round} with ${String(value)}`;
      context.df.continueAsNew(round + 1);
      return undefined;
    };
    const h = new Harness(fn, 0, () => undefined);
    await h.settle();
    h.raise('tick', 'a');
    h.raise('tick', 'b'); // arrives while execution 1 is still to process 'a'
    h.raise('tick', 'c');
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Completed');
    // Between executions the instance reads ContinuedAsNew, as DTFx reports it (the HTTP API answers 202).
    expect(h.statuses).toEqual(['Running', 'ContinuedAsNew', 'Running', 'ContinuedAsNew', 'Running', 'Completed']);
    expect(JSON.parse(h.record.output!)).toBe('done at 2 with c');
    expect(h.record.input).toBe('2');
  });

  it('an unsupported action (callHttp) fails the instance with a clear message', async () => {
    const fn: Orchestrator = function* (context) {
      yield context.df.callHttp({ method: 'GET', url: 'http://127.0.0.1:1/x', enablePolling: false });
      return 'no';
    };
    const h = new Harness(fn, null, () => undefined);
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Failed');
    expect(h.record.output).toContain('callHttp');
  });
});

/**
 * DTFx replays history against the actions the code produces this time (TaskOrchestrationContext
 * HandleTaskScheduledEvent / HandleTimerCreatedEvent / HandleSubOrchestrationCreatedEvent /
 * HandleEventSentEvent) and fails the instance with NonDeterministicOrchestrationException's message.
 */
describe('orchestrator code changed under a running instance', () => {
  const CHANGED = 'Was a change made to the orchestrator code after this instance had already started running?';
  const ND = 'Non-Deterministic workflow detected: ';

  /** Runs the code unchanged until it waits, then replays it changed with the external event 'go'. */
  async function replayChanged(code: (context: OrchestrationContext, changed: boolean) => Generator<unknown, unknown, unknown>): Promise<Harness> {
    let changed = false;
    const h = new Harness(
      function* (context) {
        return yield* code(context, changed);
      },
      null,
      (name, input) => `${name}(${JSON.stringify(input)})`,
      () => 7,
    );
    await h.settle();
    expect(h.record.runtimeStatus).toBe('Running');
    changed = true;
    h.raise('go', 'now');
    await h.settle();
    return h;
  }
  const output = (h: Harness): unknown => JSON.parse(h.record.output!);
  const later = (context: OrchestrationContext): Date => new Date(context.df.currentUtcDateTime.getTime() + 3_600_000);

  it('another activity name at a sequence number in history -> Failed; nothing new scheduled, history ends with the failure', async () => {
    const h = await replayChanged(function* (context, changed) {
      const first: unknown = yield context.df.callActivity(changed ? 'shout' : 'greet', 'bob');
      yield context.df.waitForExternalEvent('go');
      yield context.df.callActivity('after');
      return first;
    });
    expect(h.record.runtimeStatus).toBe('Failed');
    expect(output(h)).toBe(`${ND}A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'greet', but the current orchestration replay instead scheduled an activity task named 'shout' with this sequence number.  ${CHANGED}`);
    expect(h.record.history.filter((e) => e.EventType === EventType.TaskScheduled).map((e) => e.Name)).toEqual(['greet']);
    expect(h.record.history.at(-1)).toMatchObject({ EventType: EventType.ExecutionCompleted, OrchestrationStatus: 'Failed' });
    expect([h.record.activities, h.record.timers]).toEqual([[], []]);
  });

  it('names compared as DTFx does (OrdinalIgnoreCase); inputs not compared; new actions after the history are new work', async () => {
    const h = await replayChanged(function* (context, changed) {
      const first: unknown = yield context.df.callActivity(changed ? 'GREET' : 'greet', changed ? 'alice' : 'bob');
      yield context.df.waitForExternalEvent('go');
      const extra: unknown = changed ? yield context.df.callActivity('extra', 1) : null;
      return { first, extra };
    });
    expect(h.record.runtimeStatus).toBe('Completed');
    expect(output(h)).toEqual({ first: 'greet("bob")', extra: 'extra(1)' });
  });

  it('a timer where the activity was -> Failed (the activity result is not fed to the timer)', async () => {
    const h = await replayChanged(function* (context, changed) {
      const first: unknown = yield changed ? context.df.createTimer(later(context)) : context.df.callActivity('greet', 'bob');
      yield context.df.waitForExternalEvent('go');
      return first;
    });
    expect(h.record.runtimeStatus).toBe('Failed');
    expect(output(h)).toBe(`${ND}A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'greet', but the current orchestration replay instead produced a CreateTimerOrchestratorAction action with this sequence number. ${CHANGED}`);
    expect(h.record.history.some((e) => e.EventType === EventType.TimerCreated)).toBe(false);
  });

  it('an activity where the timer was -> Failed with the timer wording', async () => {
    const h = await replayChanged(function* (context, changed) {
      yield context.df.Task.any([changed ? context.df.callActivity('greet') : context.df.createTimer(later(context)), context.df.waitForExternalEvent('go')]);
      return 'done';
    });
    expect(output(h)).toBe(`${ND}A previous execution of this orchestration scheduled a timer task with sequence number 0 named but the current orchestration replay instead produced a ScheduleTaskOrchestratorAction action with this sequence number. ${CHANGED}`);
  });

  it('a sub-orchestration where the activity was, another sub-orchestrator name -> Failed', async () => {
    const kind = await replayChanged(function* (context, changed) {
      yield changed ? context.df.callSubOrchestrator('greet', 'bob') : context.df.callActivity('greet', 'bob');
      yield context.df.waitForExternalEvent('go');
      return 'done';
    });
    expect(output(kind)).toBe(`${ND}A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'greet', but the current orchestration replay instead produced a CreateSubOrchestrationAction action with this sequence number. ${CHANGED}`);
    const renamed = await replayChanged(function* (context, changed) {
      yield context.df.Task.any([context.df.callSubOrchestrator(changed ? 'other' : 'child', null, 'kid-1'), context.df.waitForExternalEvent('go')]);
      return 'done';
    });
    expect(output(renamed)).toBe(
      `${ND}A previous execution of this orchestration scheduled a sub-orchestration task with sequence ID 0 and name 'child' (version '', instance ID 'kid-1'), but the current orchestration replay instead scheduled a sub-orchestration task with name other at this sequence number. ${CHANGED}`,
    );
  });

  it('an activity where the entity call was -> Failed with the send-event wording', async () => {
    const h = await replayChanged(function* (context, changed) {
      yield changed ? context.df.callActivity('greet') : context.df.callEntity(new df.EntityId('counter', 'k'), 'get');
      yield context.df.waitForExternalEvent('go');
      return 'done';
    });
    expect(output(h)).toBe(`${ND}A previous execution of this orchestration scheduled a send event task with sequence ID 0, type 'EventSent', name 'op', instance ID '@counter@k', but the current orchestration replay instead scheduled a ScheduleTaskOrchestratorAction task at this sequence number. ${CHANGED}`);
  });

  it('fewer actions than history (the code now returns early) -> Failed: the replay "hasn\'t (yet?) scheduled" the task', async () => {
    const h = await replayChanged(function* (context, changed) {
      if (changed) return 'early';
      yield context.df.Task.any([context.df.createTimer(later(context)), context.df.waitForExternalEvent('go')]);
      return 'done';
    });
    expect(h.record.runtimeStatus).toBe('Failed');
    expect(output(h)).toBe(`${ND}A previous execution of this orchestration scheduled a timer task with sequence number 0 but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`);
    const activity = await replayChanged(function* (context, changed) {
      if (!changed) yield context.df.callActivity('greet', 'bob');
      yield context.df.waitForExternalEvent('go');
      return 'done';
    });
    expect(output(activity)).toBe(`${ND}A previous execution of this orchestration scheduled an activity task with sequence ID 0 and name 'greet' (version ''), but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`);
  });

  it('the mismatch wins over an error the changed code throws after the replay', async () => {
    const h = await replayChanged(function* (context, changed) {
      yield context.df.callActivity(changed ? 'shout' : 'greet');
      yield context.df.waitForExternalEvent('go');
      if (changed) throw new Error('boom');
      return 'done';
    });
    expect(h.episodes.at(-1)?.kind).toBe('failed');
    expect(output(h)).toMatch(/^Non-Deterministic workflow detected: .*named 'greet'.*named 'shout'/);
  });
});
