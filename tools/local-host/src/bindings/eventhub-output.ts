import type { EventData } from '@azure/event-hubs';
import { LocalHostError } from '../errors';
import type { BindingClients } from './binding-clients';
import type { OutputBindingRequest } from './output-binding-writers';
import { asItems, itemBytes } from './rpc-values';

/**
 * `output.eventHub`: one event per item (an array is several), the body the item's bytes (strings
 * UTF-8, objects JSON), sent in as few batches as the hub's size limit allows, without a partition
 * key (the service spreads them), as the extension's EventHubAsyncCollector does.
 */
export async function writeEventHubOutput(request: OutputBindingRequest, clients: BindingClients): Promise<void> {
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const binding = request.binding as { eventHubName?: string; connection?: string };
  const hub = request.settings.resolve(binding.eventHubName ?? '', usedBy);
  const producer = clients.producer(binding.connection, hub, usedBy);
  const events: EventData[] = asItems(request.value).filter((i) => i !== undefined && i !== null).map((item) => ({ body: itemBytes(item) }));
  let batch = await producer.createBatch();
  for (const event of events) {
    if (batch.tryAdd(event)) continue;
    if (batch.count === 0) throw new LocalHostError('BINDING_FAILED', `an event for ${usedBy} is larger than the hub allows`, 'bind');
    await producer.sendBatch(batch);
    batch = await producer.createBatch();
    if (!batch.tryAdd(event)) throw new LocalHostError('BINDING_FAILED', `an event for ${usedBy} is larger than the hub allows`, 'bind');
  }
  if (batch.count > 0) await producer.sendBatch(batch);
}
