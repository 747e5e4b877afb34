import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { DurableClock } from './durable-clock';
import type { DurableFunctionTable } from './durable-function-table';
import { type EntityStateWire, type EntityTriggerInput, eventRaised } from '@telemetry/durable-internals';
import { entitySchedulerId, type EntityOperation, type EntityRecord, type OutboxPayload } from './instance-record';
import type { TaskHub } from './task-hub';
import { fromTypedData } from './typed-data';

/** Operations per entity invocation (the library runs a batch in order). */
const MAX_BATCH = 20;

type OperationResult = EntityStateWire['results'][number];

/** Runs each entity's queued operations in order, one batch at a time, and routes replies and signals. */
export class EntityProcessor {
  constructor(
    private readonly hub: TaskHub,
    private readonly functions: DurableFunctionTable,
    private readonly clock: DurableClock,
    private readonly logger: Logger,
  ) {}

  kick(schedulerId: string): void {
    this.hub.track(this.hub.queue.run(`e:${schedulerId}`, () => this.process(schedulerId)));
  }

  private async process(schedulerId: string): Promise<void> {
    for (;;) {
      const record = this.hub.entities.get(schedulerId);
      if (!record || record.inbox.length === 0) return;
      const fn = this.functions.get('entity', record.name);
      if (fn && !fn.isRunning()) return; // paused: resumes with kickAll
      const batch = record.inbox.slice(0, MAX_BATCH);
      const working = structuredClone(record);
      working.inbox = working.inbox.slice(batch.length);
      let results: OperationResult[];
      if (!fn) {
        results = batch.map(() => failedResult(`The function '${record.name}' doesn't exist, is disabled, or is not an entity function.`));
      } else {
        const input: EntityTriggerInput = {
          self: { name: record.name, key: record.key },
          exists: record.exists,
          ...(record.state !== undefined ? { state: record.state } : {}),
          batch: batch.map((op) => ({ id: op.id, name: op.name, signal: op.signal, ...(op.input !== undefined ? { input: op.input } : {}) })),
        };
        const outcome = await fn.executor.execute({ triggerData: { json: JSON.stringify(input) }, reason: `entity ${schedulerId}` });
        const state = outcome.ok ? (fromTypedData(outcome.response?.returnValue) as EntityStateWire | undefined) : undefined;
        if (state) {
          working.exists = state.entityExists;
          if (state.entityExists && state.entityState !== undefined) working.state = state.entityState;
          else delete working.state;
          results = batch.map((_, i) => state.results[i] ?? { isError: false, duration: 0, startTime: this.clock.now() });
          for (const signal of state.signals) this.signal(working, signal.target.name, signal.target.key, { id: randomUUID(), name: signal.name, signal: true, ...(signal.input ? { input: signal.input } : {}) });
        } else {
          // The whole batch failed: state unchanged, every caller gets the error.
          results = batch.map(() => failedResult(outcome.error?.message ?? 'entity invocation failed'));
        }
      }
      batch.forEach((op, i) => this.reply(working, op, results[i]!));
      await this.hub.saveEntity(working);
      this.hub.deliverOutbox({ schedulerId });
    }
  }

  private reply(record: EntityRecord, op: EntityOperation, result: OperationResult): void {
    if (op.signal || !op.parentInstanceId) {
      if (result.isError) this.logger.log({ level: 'warning', message: 'entity signal failed', fields: { entity: record.schedulerId, operation: op.name } });
      return;
    }
    const response = { ...(result.result !== undefined ? { result: result.result } : {}), ...(result.isError ? { exceptionType: 'Error' } : {}) };
    this.push(record, { kind: 'instanceEvent', instanceId: op.parentInstanceId, ...(op.parentExecutionId ? { executionId: op.parentExecutionId } : {}), event: eventRaised(this.clock.now(), op.id, JSON.stringify(response)) });
  }

  private signal(record: EntityRecord, name: string, key: string, operation: EntityOperation): void {
    this.push(record, { kind: 'entityOperation', entity: entitySchedulerId(name, key), operation });
  }

  private push(record: EntityRecord, message: OutboxPayload): void {
    record.outbox.push({ messageId: randomUUID(), ...message });
  }
}

function failedResult(message: string): OperationResult {
  return { isError: true, duration: 0, startTime: Date.now(), result: JSON.stringify(message) };
}
