import { EventHubDriver } from '../drivers/eventhub/eventhub-driver';
import { HttpDriver } from '../drivers/http/http-driver';
import { QueueDriver } from '../drivers/queue/queue-driver';
import { TimerDriver } from '../drivers/timer/timer-driver';
import { TriggerDriverRegistry } from '../drivers/trigger-driver-registry';

/** The trigger kinds the local host drives out of the box. */
export function defaultDrivers(): TriggerDriverRegistry {
  return new TriggerDriverRegistry()
    .register('httpTrigger', (c) => new HttpDriver(c))
    .register('queueTrigger', (c) => new QueueDriver(c))
    .register('timerTrigger', (c) => new TimerDriver(c))
    .register('eventHubTrigger', (c) => new EventHubDriver(c));
}
