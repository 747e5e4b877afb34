import { randomUUID } from 'node:crypto';
import { toError } from '../errors';
import type { Logger } from '../logging/logger';
import type { DurableClock } from './durable-clock';
import type { DurableFunctionTable } from './durable-function-table';
import { type HistoryEvent, type OrchestrationTriggerInput, orchestratorStarted, type OrchestratorStateWire, OUT_OF_PROC_DATA_LABEL, taskCompleted, taskFailed, TERMINAL_STATUSES, timerFired, UPPER_SCHEMA_VERSION } from '@telemetry/durable-internals';
import type { InstanceRecord, PendingActivity, PendingTimer } from './instance-record';
import { applyEpisode, finish, jsonText, type EpisodeOutcome } from './orchestration-episode';
import type { TaskHub } from './task-hub';
import { fromTypedData } from './typed-data';

/** Timers are never split into "long timer" chunks locally (the library does so past this length). */
const NO_LONG_TIMERS = '36500.00:00:00';

/** Runs orchestrator episodes (one new event each), activities and timers for the task hub. */
export class OrchestrationProcessor {
  private readonly activitiesRunning = new Set<string>();
  private readonly timersArmed = new Set<string>();
  private activitySlots: number;
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(
    private readonly hub: TaskHub,
    private readonly functions: DurableFunctionTable,
    private readonly clock: DurableClock,
    private readonly logger: Logger,
    maxConcurrentActivities: number,
  ) {
    this.activitySlots = maxConcurrentActivities;
  }

  /** Processes the instance's inbox (if it may run now) and starts the work its state owes. */
  kick(instanceId: string): void {
    this.hub.track(this.hub.queue.run(`i:${instanceId}`, () => this.process(instanceId)));
  }

  private async process(instanceId: string): Promise<void> {
    for (;;) {
      const record = this.hub.instances.get(instanceId);
      if (!record) return;
      if (TERMINAL_STATUSES.has(record.runtimeStatus)) {
        if (record.inbox.length) {
          record.inbox = [];
          await this.hub.saveInstance(record);
        }
        return;
      }
      this.startOwedWork(record);
      const message = record.inbox[0];
      if (!message || record.runtimeStatus === 'Suspended') return;
      if (message.executionId && message.executionId !== record.executionId) {
        record.inbox.shift(); // a reply to an execution that continued as new
        await this.hub.saveInstance(record);
        continue;
      }
      const fn = this.functions.get('orchestration', record.name);
      if (fn && !fn.isRunning()) return; // paused: resumes with kickAll
      const working = structuredClone(record);
      working.inbox.shift();
      const now = this.clock.now();
      const outcome: EpisodeOutcome = fn
        ? await this.execute(working, message.event, now)
        : { kind: 'failed', message: `The function '${record.name}' doesn't exist, is disabled, or is not an orchestrator function.`, details: '' };
      applyEpisode(working, message.event, outcome, { now });
      await this.hub.saveInstance(working);
      this.hub.deliverOutbox({ instanceId });
      if (working.runtimeStatus !== 'Running' && working.runtimeStatus !== 'ContinuedAsNew') this.logger.log({ level: 'information', message: 'orchestration finished', fields: { instanceId, name: working.name, runtimeStatus: working.runtimeStatus } });
    }
  }

  private async execute(record: InstanceRecord, event: HistoryEvent, now: number): Promise<EpisodeOutcome> {
    const fn = this.functions.get('orchestration', record.name)!;
    const payload: OrchestrationTriggerInput = {
      history: [...record.history, orchestratorStarted(now), { ...event, IsPlayed: false }],
      input: record.input === null ? null : (JSON.parse(record.input) as unknown),
      instanceId: record.instanceId,
      isReplaying: record.history.length > 0,
      ...(record.parent ? { parentInstanceId: record.parent.instanceId } : {}),
      upperSchemaVersion: UPPER_SCHEMA_VERSION,
      maximumShortTimerDuration: NO_LONG_TIMERS,
      longRunningTimerIntervalDuration: NO_LONG_TIMERS,
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    const result = await fn.executor.execute({ triggerData: { json: JSON.stringify(payload) }, reason: `orchestration ${record.instanceId}` });
    if (result.ok) return { kind: 'state', state: fromTypedData(result.response?.returnValue) as OrchestratorStateWire };
    const text = result.error?.message ?? 'orchestrator failed';
    const at = text.indexOf(OUT_OF_PROC_DATA_LABEL);
    const state = at >= 0 ? (JSON.parse(text.slice(at + OUT_OF_PROC_DATA_LABEL.length)) as OrchestratorStateWire) : undefined;
    const reason = state?.error ?? text;
    return { kind: 'failed', message: `Orchestrator function '${record.name}' failed: ${reason}`, details: '', ...(state ? { state } : {}) };
  }

  /** Activities and timers the record owes that are not running/armed yet (after a restart, or a resume). */
  startOwedWork(record: InstanceRecord): void {
    if (TERMINAL_STATUSES.has(record.runtimeStatus)) return;
    for (const activity of record.activities) this.dispatchActivity(record.instanceId, record.executionId, activity);
    for (const timer of record.timers) this.armTimer(record.instanceId, record.executionId, timer);
  }

  private dispatchActivity(instanceId: string, executionId: string, activity: PendingActivity): void {
    const key = `${instanceId}|${executionId}|${activity.taskId}`;
    const fn = this.functions.get('activity', activity.name);
    if (this.activitiesRunning.has(key) || (fn && !fn.isRunning())) return;
    this.activitiesRunning.add(key);
    this.hub.track(
      (async () => {
        await this.takeSlot();
        try {
          const event = await this.runActivity(activity);
          await this.hub.updateInstance(instanceId, (r) => {
            const owed = !!r && r.executionId === executionId && r.activities.some((a) => a.taskId === activity.taskId);
            if (owed) {
              r!.activities = r!.activities.filter((a) => a.taskId !== activity.taskId);
              r!.inbox.push({ event, executionId });
            }
            return { save: owed, result: undefined };
          });
        } finally {
          this.releaseSlot();
          this.activitiesRunning.delete(key);
        }
        this.kick(instanceId);
      })(),
    );
  }

  private async runActivity(activity: PendingActivity): Promise<HistoryEvent> {
    const fn = this.functions.get('activity', activity.name);
    if (!fn) return taskFailed(this.clock.now(), activity.taskId, `The function '${activity.name}' doesn't exist, is disabled, or is not an activity function.`, '');
    try {
      const result = await fn.executor.execute({ triggerData: { json: activity.input }, reason: `activity task ${activity.taskId}` });
      if (result.ok) return taskCompleted(this.clock.now(), activity.taskId, jsonText(fromTypedData(result.response?.returnValue)));
      return taskFailed(this.clock.now(), activity.taskId, result.error?.message ?? 'activity failed', result.error?.stack ?? '');
    } catch (thrown) {
      const error = toError(thrown);
      return taskFailed(this.clock.now(), activity.taskId, error.message, error.stack ?? '');
    }
  }

  private armTimer(instanceId: string, executionId: string, timer: PendingTimer): void {
    const key = `${instanceId}|${executionId}|${timer.timerId}`;
    if (this.timersArmed.has(key)) return;
    this.timersArmed.add(key);
    this.clock.schedule(Date.parse(timer.fireAt), () => {
      this.timersArmed.delete(key);
      this.hub.track(
        this.hub
          .updateInstance(instanceId, (r) => {
            const owed = !!r && r.executionId === executionId && r.timers.some((t) => t.timerId === timer.timerId);
            if (owed) {
              r!.timers = r!.timers.filter((t) => t.timerId !== timer.timerId);
              r!.inbox.push({ event: timerFired(this.clock.now(), timer.timerId, timer.fireAt), executionId });
            }
            return { save: owed, result: undefined };
          })
          .then(() => this.kick(instanceId)),
      );
    });
  }

  /** Terminates an instance (client API). */
  terminate(record: InstanceRecord, reason: string | null): void {
    finish(record, 'Terminated', JSON.stringify(reason), this.clock.now(), (m) => record.outbox.push({ messageId: randomUUID(), ...m }));
  }

  private takeSlot(): Promise<void> {
    if (this.activitySlots > 0) {
      this.activitySlots--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waitingForSlot.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waitingForSlot.shift();
    if (next) next();
    else this.activitySlots++;
  }
}
