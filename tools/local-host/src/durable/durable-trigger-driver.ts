import type { DriverContext, DriverState, TriggerDriver } from '../drivers/trigger-driver';
import type { DurableFunctionTable, DurableKind } from './durable-function-table';

/**
 * orchestrationTrigger / entityTrigger / activityTrigger: the function joins the task hub's table;
 * the Durable engine invokes it. Pausing parks its work until resume.
 */
export class DurableTriggerDriver implements TriggerDriver {
  private currentState: DriverState = 'stopped';

  constructor(
    private readonly context: DriverContext,
    private readonly kind: DurableKind,
    private readonly table: DurableFunctionTable,
    private readonly onResume: () => void,
  ) {}

  get functionName(): string {
    return this.context.registration.name;
  }

  get triggerType(): string {
    return this.context.registration.triggerType;
  }

  get state(): DriverState {
    return this.currentState;
  }

  async start(): Promise<void> {
    this.table.register({ kind: this.kind, name: this.functionName, executor: this.context.executor, isRunning: () => this.currentState === 'running' });
    this.currentState = 'running';
    this.onResume();
  }

  async stop(): Promise<void> {
    this.currentState = 'stopped';
  }

  async pause(): Promise<void> {
    if (this.currentState === 'running') this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (this.currentState !== 'paused') return;
    this.currentState = 'running';
    this.onResume();
  }
}
