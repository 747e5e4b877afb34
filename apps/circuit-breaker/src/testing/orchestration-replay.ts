import { randomUUID } from 'node:crypto';
import type { OrchestrationHandler } from 'durable-functions';
import { ActionType, durableTesting, HistoryEventType, ReplaySchema } from './durable-internals';

/** The actions an execution asked for, simplified for assertions. */
export type ReplayAction =
  | { type: 'callEntity'; entity: string; operation: string; input: unknown }
  | { type: 'callActivity'; name: string; input: unknown; retry: boolean }
  | { type: 'createTimer'; fireAt: string; canceled: boolean }
  | { type: 'waitForEvent'; name: string }
  | { type: 'continueAsNew'; input: unknown }
  | { type: 'signalEntity'; entity: string; operation: string };

export interface ReplayStep {
  /** Actions first requested by this execution (what the host would now schedule). */
  newActions: ReplayAction[];
  isDone: boolean;
  output: unknown;
  customStatus: unknown;
}

type HistoryEvent = Record<string, unknown> & { EventType: number };
interface RawAction { actionType: number; [key: string]: unknown }
interface Pending { eventId: number; action: ReplayAction; requestId?: string }

/**
 * Plays the role of the Durable extension for one orchestration instance: keeps its history as
 * the host would (TaskScheduled / TimerCreated / EventSent for new actions, completions appended
 * on request), and re-runs the real orchestrator through the library's replay engine each turn.
 */
export class OrchestrationReplay {
  readonly history: HistoryEvent[] = [];
  private scheduledCount = 0;
  private nextEventId = 0;
  private readonly pending: Pending[] = [];
  private now: number;

  constructor(
    private readonly handler: OrchestrationHandler,
    private readonly options: { instanceId: string; input: unknown; startAt: Date; schema?: number },
  ) {
    this.now = options.startAt.getTime();
  }

  /** Moves the orchestration clock (the next OrchestratorStarted timestamp). */
  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  get clock(): Date {
    return new Date(this.now);
  }

  start(): Promise<ReplayStep> {
    this.history.push(this.started(), { EventType: HistoryEventType.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: this.clock, Name: 'orchestrator', Input: JSON.stringify(this.options.input) });
    return this.execute();
  }

  /** Outstanding work, oldest first (what a test can complete next). */
  outstanding(): ReplayAction[] {
    return this.pending.map((p) => p.action);
  }

  respondEntity(result: unknown): Promise<ReplayStep> {
    const call = this.take((a) => a.type === 'callEntity');
    return this.turn({ EventType: HistoryEventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: this.clock, Name: call.requestId, Input: JSON.stringify({ result: JSON.stringify(result) }) });
  }

  completeActivity(name: string, result: unknown): Promise<ReplayStep> {
    const call = this.take((a) => a.type === 'callActivity' && a.name === name);
    return this.turn({ EventType: HistoryEventType.TaskCompleted, EventId: -1, IsPlayed: false, Timestamp: this.clock, TaskScheduledId: call.eventId, Result: JSON.stringify(result) });
  }

  /** Fires the pending (uncanceled) timer due first; the clock moves to its fireAt if earlier. */
  fireTimer(): Promise<ReplayStep> {
    const timer = this.take((a) => a.type === 'createTimer' && !a.canceled);
    const fireAt = Date.parse((timer.action as { fireAt: string }).fireAt);
    this.now = Math.max(this.now, fireAt);
    return this.turn({ EventType: HistoryEventType.TimerFired, EventId: -1, IsPlayed: false, Timestamp: this.clock, TimerId: timer.eventId, FireAt: new Date(fireAt).toISOString() });
  }

  raiseEvent(name: string, input: unknown): Promise<ReplayStep> {
    return this.turn({ EventType: HistoryEventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: this.clock, Name: name, Input: JSON.stringify(input) });
  }

  private take(match: (action: ReplayAction) => boolean): Pending {
    const index = this.pending.findIndex((p) => match(p.action));
    if (index < 0) throw new Error(`nothing outstanding matches; outstanding: ${JSON.stringify(this.outstanding())}`);
    return this.pending.splice(index, 1)[0]!;
  }

  private started(): HistoryEvent {
    return { EventType: HistoryEventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: this.clock };
  }

  private turn(event: HistoryEvent): Promise<ReplayStep> {
    this.history.push(this.started(), event);
    return this.execute();
  }

  /**
   * Replays the history as it stands, as a restarted host would (fresh orchestrator, no new
   * event), and returns every action the code asks for: equal to all actions scheduled so far
   * when the orchestrator is deterministic.
   */
  async replayAll(): Promise<{ actions: ReplayAction[]; isDone: boolean }> {
    const state = await this.run();
    return { actions: state.actions.flat().flatMap(flatten).map(simplify), isDone: state.isDone };
  }

  private async run(): Promise<{ isDone: boolean; actions: RawAction[][]; output: unknown; customStatus: unknown }> {
    const run = durableTesting.createOrchestrator(this.handler);
    const context = new durableTesting.DummyOrchestrationContext('breakerEpisode', randomUUID(), () => undefined);
    const trigger = {
      history: this.history, input: this.options.input, instanceId: this.options.instanceId, isReplaying: false, parentInstanceId: '',
      upperSchemaVersion: this.options.schema ?? ReplaySchema.V3,
      maximumShortTimerDuration: '6.00:00:00', longRunningTimerIntervalDuration: '3.00:00:00', defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    return (await run(trigger, context)) as { isDone: boolean; actions: RawAction[][]; output: unknown; customStatus: unknown };
  }

  private async execute(): Promise<ReplayStep> {
    const state = await this.run();
    const all = state.actions.flat().flatMap(flatten);
    const fresh = all.slice(this.scheduledCount);
    this.scheduledCount = all.length;
    const newActions = fresh.map((raw) => this.schedule(raw));
    this.history.push({ EventType: HistoryEventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: this.clock });
    return { newActions, isDone: state.isDone, output: state.output, customStatus: state.customStatus };
  }

  /** Records a new action in history the way the extension does, and returns its simplified form. */
  private schedule(raw: RawAction): ReplayAction {
    const action = simplify(raw);
    if (action.type === 'waitForEvent' || action.type === 'continueAsNew' || action.type === 'signalEntity') return action;
    const eventId = this.nextEventId++;
    if (action.type === 'callActivity') {
      this.history.push({ EventType: HistoryEventType.TaskScheduled, EventId: eventId, IsPlayed: false, Timestamp: this.clock, Name: action.name, Input: JSON.stringify(action.input) });
      this.pending.push({ eventId, action });
    } else if (action.type === 'createTimer') {
      this.history.push({ EventType: HistoryEventType.TimerCreated, EventId: eventId, IsPlayed: false, Timestamp: this.clock, FireAt: action.fireAt });
      if (!action.canceled) this.pending.push({ eventId, action });
    } else {
      const requestId = randomUUID();
      this.history.push({ EventType: HistoryEventType.EventSent, EventId: eventId, IsPlayed: false, Timestamp: this.clock, InstanceId: action.entity, Name: 'op',
        Input: JSON.stringify({ id: requestId, op: action.operation, signal: false, input: JSON.stringify(action.input) }) });
      this.pending.push({ eventId, action, requestId });
    }
    return action;
  }
}

function flatten(action: RawAction): RawAction[] {
  if (action.actionType === ActionType.WhenAny || action.actionType === ActionType.WhenAll) {
    return (action['compoundActions'] as RawAction[]).flatMap(flatten);
  }
  return [action];
}

function simplify(raw: RawAction): ReplayAction {
  const json = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  switch (raw.actionType) {
    case ActionType.CallEntity: return { type: 'callEntity', entity: String(json['instanceId']), operation: String(json['operation']), input: json['input'] };
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { type: 'callActivity', name: String(json['functionName']), input: json['input'], retry: raw.actionType === ActionType.CallActivityWithRetry };
    case ActionType.CreateTimer: return { type: 'createTimer', fireAt: String(json['fireAt']), canceled: Boolean(json['isCanceled']) };
    case ActionType.WaitForExternalEvent: return { type: 'waitForEvent', name: String(json['externalEventName']) };
    case ActionType.ContinueAsNew: return { type: 'continueAsNew', input: json['input'] };
    case ActionType.SignalEntity: return { type: 'signalEntity', entity: String(json['instanceId']), operation: String(json['operation']) };
    default: throw new Error(`unexpected action type ${raw.actionType}`);
  }
}
