import { toError } from '../errors';
import type { Logger } from '../logging/logger';
import type { EntityRecord, InstanceRecord, OutboxMessage } from './instance-record';
import { parseSchedulerId } from './instance-record';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { documentKey, type TaskHubStore } from './task-hub-store';
import { newInstanceRecord } from './instance-record';
import { executionStarted, TERMINAL_STATUSES } from '@telemetry/durable-internals';

/** How many delivered message ids a document remembers, to drop redeliveries after a crash. */
const SEEN_LIMIT = 500;

export type Kick = { instance(id: string): void; entity(schedulerId: string): void };

/**
 * The task hub's documents in memory, written through to the store. Every change to one document
 * runs in that document's serial queue; messages between documents go through an outbox
 * (recorded with the sender's change, delivered afterwards, at least once).
 */
export class TaskHub {
  readonly instances = new Map<string, InstanceRecord>();
  readonly entities = new Map<string, EntityRecord>();
  readonly queue = new KeyedSerialQueue();
  private readonly inFlight = new Set<Promise<unknown>>();
  kick: Kick = { instance: () => undefined, entity: () => undefined };

  constructor(
    readonly store: TaskHubStore,
    private readonly logger: Logger,
    private readonly newExecutionId: () => string,
    private readonly now: () => number,
  ) {}

  async load(): Promise<void> {
    await this.store.open();
    for (const r of await this.store.loadAll<InstanceRecord>('instances/')) this.instances.set(r.instanceId, r);
    for (const e of await this.store.loadAll<EntityRecord>('entities/')) this.entities.set(e.schedulerId, e);
  }

  /** Changes one instance under its lock and persists it when `change` returns true. */
  updateInstance<T>(id: string, change: (record: InstanceRecord | undefined) => { save: boolean; result: T }): Promise<T> {
    return this.queue.run(`i:${id}`, async () => {
      const { save, result } = change(this.instances.get(id));
      const record = this.instances.get(id);
      if (save && record) await this.saveInstance(record);
      return result;
    });
  }

  updateEntity<T>(schedulerId: string, change: (record: EntityRecord) => { save: boolean; result: T }): Promise<T> {
    return this.queue.run(`e:${schedulerId}`, async () => {
      const record = this.entities.get(schedulerId) ?? this.newEntity(schedulerId);
      const { save, result } = change(record);
      if (save) {
        this.entities.set(schedulerId, record);
        await this.saveEntity(record);
      }
      return result;
    });
  }

  async saveInstance(record: InstanceRecord): Promise<void> {
    this.instances.set(record.instanceId, record);
    await this.store.put(documentKey('instances', record.instanceId), record);
  }

  async saveEntity(record: EntityRecord): Promise<void> {
    record.lastModifiedTime = new Date(this.now()).toISOString();
    this.entities.set(record.schedulerId, record);
    await this.store.put(documentKey('entities', record.schedulerId), record);
  }

  async deleteInstance(id: string): Promise<void> {
    this.instances.delete(id);
    await this.store.delete(documentKey('instances', id));
  }

  /** Runs background work and remembers it so `drain()` can wait for it. */
  track(work: Promise<unknown>): void {
    const guarded = work.catch((e: unknown) => this.logger.log({ level: 'error', message: 'durable background work failed', fields: { error: toError(e).message } }));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.queue.idle();
  }

  /** Delivers a document's outbox, then removes what was delivered. */
  deliverOutbox(source: { instanceId: string } | { schedulerId: string }): void {
    const outbox = 'instanceId' in source ? this.instances.get(source.instanceId)?.outbox : this.entities.get(source.schedulerId)?.outbox;
    if (!outbox?.length) return;
    const messages = [...outbox];
    this.track(
      (async () => {
        for (const message of messages) await this.deliver(message);
        const delivered = new Set(messages.map((m) => m.messageId));
        const prune = <R extends { outbox: OutboxMessage[] }>(r: R | undefined): { save: boolean; result: void } => {
          if (r) r.outbox = r.outbox.filter((m) => !delivered.has(m.messageId));
          return { save: !!r, result: undefined };
        };
        if ('instanceId' in source) await this.updateInstance(source.instanceId, prune);
        else await this.updateEntity(source.schedulerId, prune);
      })(),
    );
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const firstTime = (r: { seenMessageIds: string[] }): boolean => {
      if (r.seenMessageIds.includes(message.messageId)) return false;
      r.seenMessageIds = [...r.seenMessageIds.slice(-(SEEN_LIMIT - 1)), message.messageId];
      return true;
    };
    switch (message.kind) {
      case 'entityOperation':
        await this.updateEntity(message.entity, (e) => {
          const save = firstTime(e);
          if (save) e.inbox.push(message.operation);
          return { save, result: undefined };
        });
        this.kick.entity(message.entity);
        return;
      case 'instanceEvent':
        await this.updateInstance(message.instanceId, (r) => {
          const save = !!r && !TERMINAL_STATUSES.has(r.runtimeStatus) && firstTime(r);
          if (save) r!.inbox.push({ event: message.event, ...(message.executionId ? { executionId: message.executionId } : {}) });
          return { save, result: undefined };
        });
        this.kick.instance(message.instanceId);
        return;
      case 'startInstance':
        await this.queue.run(`i:${message.instanceId}`, async () => {
          const existing = this.instances.get(message.instanceId);
          if (existing && (!TERMINAL_STATUSES.has(existing.runtimeStatus) || existing.seenMessageIds.includes(message.messageId))) return;
          const now = this.now();
          const record = newInstanceRecord({ instanceId: message.instanceId, name: message.name, input: message.input, now, executionId: this.newExecutionId(), parent: message.parent });
          record.inbox.push({ event: executionStarted(now, message.name, message.input), executionId: record.executionId });
          record.seenMessageIds.push(message.messageId);
          await this.saveInstance(record);
        });
        this.kick.instance(message.instanceId);
        return;
    }
  }

  private newEntity(schedulerId: string): EntityRecord {
    const { name, key } = parseSchedulerId(schedulerId);
    return { schedulerId, name, key, exists: false, inbox: [], outbox: [], seenMessageIds: [], lastModifiedTime: new Date(this.now()).toISOString() };
  }
}
