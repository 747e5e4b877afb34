import type { DriverContext, DriverState, TriggerDriver } from './trigger-driver';

/**
 * The pause/resume state machine every polling or subscribing trigger shares: pause only from
 * running (finishing in-flight work first), resume only from paused. Drivers supply how to stop
 * taking work (`halt`) and how to start again (`restart`).
 */
export abstract class PausableDriver implements TriggerDriver {
  abstract readonly triggerType: string;
  protected currentState: DriverState = 'stopped';

  constructor(protected readonly context: DriverContext) {}

  get functionName(): string {
    return this.context.registration.name;
  }

  get state(): DriverState {
    return this.currentState;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Stop taking new work; resolves when in-flight work is done (and checkpointed). */
  protected abstract halt(): Promise<void>;
  /** Take work again after a pause. */
  protected abstract restart(): void;

  async pause(): Promise<void> {
    if (this.currentState !== 'running') return;
    await this.halt();
    this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (this.currentState === 'paused') this.restart();
  }
}
