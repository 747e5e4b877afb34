import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { DurableClock } from './durable-clock';
import type { DurableFunctionTable } from './durable-function-table';
import { EntityProcessor } from './entity-processor';
import { eventRaised, EventType, executionStarted, historyEvent, TERMINAL_STATUSES } from '@telemetry/durable-internals';
import { entitySchedulerId, newInstanceRecord, type EntityRecord, type InstanceRecord } from './instance-record';
import { OrchestrationProcessor } from './orchestration-processor';
import { TaskHub } from './task-hub';
import type { TaskHubStore } from './task-hub-store';

export type InstanceOpResult = 'accepted' | 'notFound' | 'gone' | 'conflict' | 'noSuchOrchestrator' | 'invalidState';

export interface DurableEngineOptions {
  store: TaskHubStore;
  clock: DurableClock;
  functions: DurableFunctionTable;
  logger: Logger;
  maxConcurrentActivities: number;
}

/**
 * The local Durable Task back end for one task hub: instances, entities, the work they owe, and
 * the operations the durable client API offers. State survives restarts through the store.
 */
export class DurableEngine {
  readonly hub: TaskHub;
  private readonly orchestrations: OrchestrationProcessor;
  private readonly entityProcessor: EntityProcessor;
  private running = false;

  constructor(private readonly options: DurableEngineOptions) {
    const { store, clock, functions, logger } = options;
    this.hub = new TaskHub(store, logger, randomUUID, () => clock.now());
    this.orchestrations = new OrchestrationProcessor(this.hub, functions, clock, logger, options.maxConcurrentActivities);
    this.entityProcessor = new EntityProcessor(this.hub, functions, clock, logger);
    this.hub.kick = { instance: (id) => this.running && this.orchestrations.kick(id), entity: (id) => this.running && this.entityProcessor.kick(id) };
  }

  get clock(): DurableClock {
    return this.options.clock;
  }

  async start(): Promise<void> {
    await this.hub.load();
    this.running = true;
    this.kickAll();
  }

  /** Resumes everything owed: inboxes, activities, timers, undelivered outboxes (start, function resume). */
  kickAll(): void {
    if (!this.running) return;
    for (const id of this.hub.instances.keys()) {
      this.hub.deliverOutbox({ instanceId: id });
      this.orchestrations.kick(id);
    }
    for (const id of this.hub.entities.keys()) {
      this.hub.deliverOutbox({ schedulerId: id });
      this.entityProcessor.kick(id);
    }
  }

  /** Stops taking work and waits for what is running (activities finish; their results are saved). */
  async stop(): Promise<void> {
    this.running = false;
    this.options.clock.stop();
    await this.hub.drain();
  }

  async startNew(name: string, instanceId: string | undefined, input: string | null): Promise<{ result: InstanceOpResult; instanceId: string }> {
    const id = instanceId || randomUUID().replace(/-/g, '');
    if (!this.options.functions.get('orchestration', name)) return { result: 'noSuchOrchestrator', instanceId: id };
    const result = await this.hub.queue.run(`i:${id}`, async (): Promise<InstanceOpResult> => {
      const existing = this.hub.instances.get(id);
      if (existing && !TERMINAL_STATUSES.has(existing.runtimeStatus)) return 'conflict';
      const now = this.clock.now();
      const record = newInstanceRecord({ instanceId: id, name, input, now, executionId: randomUUID() });
      record.inbox.push({ event: executionStarted(now, name, input), executionId: record.executionId });
      await this.hub.saveInstance(record);
      return 'accepted';
    });
    if (result === 'accepted') this.hub.kick.instance(id);
    return { result, instanceId: id };
  }

  getInstance(id: string): InstanceRecord | undefined {
    return this.hub.instances.get(id);
  }

  listInstances(): InstanceRecord[] {
    return [...this.hub.instances.values()].sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
  }

  raiseEvent(id: string, eventName: string, input: string | undefined): Promise<InstanceOpResult> {
    return this.instanceOp(id, (r) => {
      if (TERMINAL_STATUSES.has(r.runtimeStatus)) return 'gone';
      r.inbox.push({ event: eventRaised(this.clock.now(), eventName, input) });
      return 'accepted';
    });
  }

  terminate(id: string, reason: string | null): Promise<InstanceOpResult> {
    return this.instanceOp(id, (r) => {
      if (TERMINAL_STATUSES.has(r.runtimeStatus)) return 'gone';
      this.orchestrations.terminate(r, reason);
      return 'accepted';
    });
  }

  suspend(id: string): Promise<InstanceOpResult> {
    return this.instanceOp(id, (r) => {
      if (TERMINAL_STATUSES.has(r.runtimeStatus)) return 'gone';
      // DurableClient.SuspendAsync: only a running instance (Running, Pending, ContinuedAsNew).
      if (r.runtimeStatus === 'Suspended') return 'invalidState';
      r.runtimeStatus = 'Suspended';
      return 'accepted';
    });
  }

  resume(id: string): Promise<InstanceOpResult> {
    return this.instanceOp(id, (r) => {
      if (TERMINAL_STATUSES.has(r.runtimeStatus)) return 'gone';
      // DurableClient.ResumeAsync: only a suspended instance.
      if (r.runtimeStatus !== 'Suspended') return 'invalidState';
      r.runtimeStatus = r.history.length ? 'Running' : 'Pending';
      return 'accepted';
    });
  }

  /** Failed instances only: failed activities are dropped from history and run again. */
  rewind(id: string): Promise<InstanceOpResult> {
    return this.instanceOp(id, (r) => {
      if (r.runtimeStatus !== 'Failed') return 'conflict';
      const failed = new Set(r.history.filter((e) => e.EventType === EventType.TaskFailed).map((e) => e.TaskScheduledId));
      const scheduled = r.history.filter((e) => e.EventType === EventType.TaskScheduled && failed.has(e.EventId));
      r.history = r.history.filter((e) => e.EventType !== EventType.TaskFailed && e.EventType !== EventType.ExecutionCompleted);
      r.activities = scheduled.map((e) => ({ taskId: e.EventId, name: e.Name ?? '', input: e.Input ?? 'null' }));
      r.runtimeStatus = 'Running';
      r.output = null;
      if (!r.activities.length) r.inbox.push({ event: historyEvent(EventType.GenericEvent, this.clock.now()), executionId: r.executionId });
      return 'accepted';
    });
  }

  /** Deletes terminal instances' data; returns how many went. */
  async purge(ids: string[]): Promise<number> {
    let deleted = 0;
    for (const id of ids) {
      deleted += await this.hub.queue.run(`i:${id}`, async () => {
        const record = this.hub.instances.get(id);
        if (!record || !TERMINAL_STATUSES.has(record.runtimeStatus)) return 0;
        await this.hub.deleteInstance(id);
        return 1;
      });
    }
    return deleted;
  }

  async signalEntity(name: string, key: string, operation: string, input: string | undefined): Promise<void> {
    const schedulerId = entitySchedulerId(name, key);
    await this.hub.updateEntity(schedulerId, (e) => {
      e.inbox.push({ id: randomUUID(), name: operation, signal: true, ...(input !== undefined ? { input } : {}) });
      return { save: true, result: undefined };
    });
    this.hub.kick.entity(schedulerId);
  }

  readEntity(name: string, key: string): EntityRecord | undefined {
    return this.hub.entities.get(entitySchedulerId(name, key));
  }

  private async instanceOp(id: string, op: (record: InstanceRecord) => InstanceOpResult): Promise<InstanceOpResult> {
    const result = await this.hub.updateInstance(id, (r) => {
      if (!r) return { save: false, result: 'notFound' as InstanceOpResult };
      const outcome = op(r);
      if (outcome === 'accepted') r.lastUpdatedTime = new Date(this.clock.now()).toISOString();
      return { save: outcome === 'accepted', result: outcome };
    });
    if (result === 'accepted') {
      this.hub.deliverOutbox({ instanceId: id });
      this.hub.kick.instance(id);
    }
    return result;
  }
}
