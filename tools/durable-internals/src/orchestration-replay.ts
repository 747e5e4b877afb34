import { randomUUID } from 'node:crypto';
import type { OrchestrationHandler } from 'durable-functions';
import { eventRaised, executionStarted, historyEvent, orchestratorCompleted, orchestratorStarted, taskCompleted, taskFailed, timerFired } from './history-events';
import { createOrchestrator, dummyContext } from './library-internals';
import { ActionType, DEFAULT_TRIGGER_TIMINGS, EventType, flattenActions, UPPER_SCHEMA_VERSION, type ActionWire, type HistoryEvent, type OrchestrationTriggerInput, type OrchestratorStateWire } from './wire';

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

interface Pending { eventId: number; action: ReplayAction; requestId?: string }

/**
 * Plays the role of the Durable extension for one orchestration instance in a unit test: keeps its
 * history as the host would (TaskScheduled / TimerCreated / EventSent for new actions, completions
 * appended on request), and re-runs the real orchestrator through the library's replay engine each
 * turn. (The local host's engine, orchestration-episode.ts there, does the same for running apps.)
 */
export class OrchestrationReplay {
  readonly history: HistoryEvent[] = [];
  private scheduledCount = 0;
  private nextEventId = 0;
  private readonly pending: Pending[] = [];
  private now: number;

  constructor(
    private readonly handler: OrchestrationHandler,
    private readonly options: { instanceId: string; input: unknown; startAt: Date; schema?: number; name?: string },
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
    this.history.push(orchestratorStarted(this.now), executionStarted(this.now, this.options.name ?? 'orchestrator', JSON.stringify(this.options.input)));
    return this.execute();
  }

  /** Outstanding work, oldest first (what a test can complete next). */
  outstanding(): ReplayAction[] {
    return this.pending.map((p) => p.action);
  }

  respondEntity(result: unknown): Promise<ReplayStep> {
    const call = this.take((a) => a.type === 'callEntity');
    return this.turn(eventRaised(this.now, call.requestId!, JSON.stringify({ result: JSON.stringify(result) })));
  }

  completeActivity(name: string, result: unknown): Promise<ReplayStep> {
    const call = this.take((a) => a.type === 'callActivity' && a.name === name);
    return this.turn(taskCompleted(this.now, call.eventId, JSON.stringify(result)));
  }

  /** The activity failed for good (for a call with retry: after the extension's last try). */
  failActivity(name: string, reason: string): Promise<ReplayStep> {
    const call = this.take((a) => a.type === 'callActivity' && a.name === name);
    return this.turn(taskFailed(this.now, call.eventId, reason, ''));
  }

  /** Fires the pending (uncanceled) timer due first; the clock moves to its fireAt if earlier. */
  fireTimer(): Promise<ReplayStep> {
    const timer = this.take((a) => a.type === 'createTimer' && !a.canceled);
    const fireAt = Date.parse((timer.action as { fireAt: string }).fireAt);
    this.now = Math.max(this.now, fireAt);
    return this.turn(timerFired(this.now, timer.eventId, new Date(fireAt).toISOString()));
  }

  raiseEvent(name: string, input: unknown): Promise<ReplayStep> {
    return this.turn(eventRaised(this.now, name, JSON.stringify(input)));
  }

  private take(match: (action: ReplayAction) => boolean): Pending {
    const index = this.pending.findIndex((p) => match(p.action));
    if (index < 0) throw new Error(`nothing outstanding matches; outstanding: ${JSON.stringify(this.outstanding())}`);
    return this.pending.splice(index, 1)[0]!;
  }

  private turn(event: HistoryEvent): Promise<ReplayStep> {
    this.history.push(orchestratorStarted(this.now), event);
    return this.execute();
  }

  /**
   * Replays the history as it stands, as a restarted host would (fresh orchestrator, no new
   * event), and returns every action the code asks for: equal to all actions scheduled so far
   * when the orchestrator is deterministic.
   */
  async replayAll(): Promise<{ actions: ReplayAction[]; isDone: boolean }> {
    const state = await this.run();
    return { actions: flattenActions(state.actions).map(simplify), isDone: state.isDone };
  }

  private async run(): Promise<OrchestratorStateWire> {
    const run = createOrchestrator(this.handler);
    const context = dummyContext('orchestration', this.options.name ?? 'orchestrator', randomUUID());
    const trigger: OrchestrationTriggerInput = {
      history: this.history, input: this.options.input, instanceId: this.options.instanceId, isReplaying: false, parentInstanceId: '',
      upperSchemaVersion: this.options.schema ?? UPPER_SCHEMA_VERSION,
      ...DEFAULT_TRIGGER_TIMINGS,
    };
    return (await run(trigger, context)) as OrchestratorStateWire;
  }

  private async execute(): Promise<ReplayStep> {
    const state = await this.run();
    const all = flattenActions(state.actions);
    const fresh = all.slice(this.scheduledCount);
    this.scheduledCount = all.length;
    const newActions = fresh.map((raw) => this.schedule(raw));
    this.history.push(orchestratorCompleted(this.now));
    return { newActions, isDone: state.isDone, output: state.output, customStatus: state.customStatus };
  }

  /** Records a new action in history the way the extension does, and returns its simplified form. */
  private schedule(raw: ActionWire): ReplayAction {
    const action = simplify(raw);
    if (action.type === 'waitForEvent' || action.type === 'continueAsNew' || action.type === 'signalEntity') return action;
    const eventId = this.nextEventId++;
    if (action.type === 'callActivity') {
      this.history.push(historyEvent(EventType.TaskScheduled, this.now, { EventId: eventId, Name: action.name, Input: JSON.stringify(action.input) }));
      this.pending.push({ eventId, action });
    } else if (action.type === 'createTimer') {
      this.history.push(historyEvent(EventType.TimerCreated, this.now, { EventId: eventId, FireAt: action.fireAt }));
      if (!action.canceled) this.pending.push({ eventId, action });
    } else {
      const requestId = randomUUID();
      this.history.push(historyEvent(EventType.EventSent, this.now, { EventId: eventId, InstanceId: action.entity, Name: 'op',
        Input: JSON.stringify({ id: requestId, op: action.operation, signal: false, input: JSON.stringify(action.input) }) }));
      this.pending.push({ eventId, action, requestId });
    }
    return action;
  }
}

function simplify(raw: ActionWire): ReplayAction {
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
