import type { TriggerDriverFactory } from './trigger-driver';

/** Trigger type (case-insensitive, e.g. `eventHubTrigger`) -> driver factory. */
export class TriggerDriverRegistry {
  private readonly factories = new Map<string, TriggerDriverFactory>();

  register(triggerType: string, factory: TriggerDriverFactory): this {
    this.factories.set(triggerType.toLowerCase(), factory);
    return this;
  }

  get(triggerType: string): TriggerDriverFactory | undefined {
    return this.factories.get(triggerType.toLowerCase());
  }

  types(): string[] {
    return [...this.factories.keys()];
  }
}
