import { message as rheaMessage, type Delivery, type EventContext, type Message } from 'rhea';
import { parseTransfer } from '../amqp/incoming-events';
import { partitionForKey } from '../service/partition-key';
import type { Hub } from '../storage/hub';
import type { Partition } from '../storage/partition';
import { amqpError } from './conditions';
import { deliveryFormat } from './rhea-edge';

export interface ProducerLinkOptions {
  hub: Hub;
  /** Set for `HUB/Partitions/N` links; undefined sends to the hub. */
  partition?: Partition;
  maxMessageBytes: number;
  onError: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Handles one transfer on a send link: size check, parse, route (fixed partition, partition
 * key hash, or round robin), one durable append, then accept; refusals are rejected
 * deliveries with the condition the SDK maps to its error.
 */
export function handleTransfer(context: EventContext, options: ProducerLinkOptions): void {
  const delivery = context.delivery as Delivery;
  const format = deliveryFormat(delivery);
  // rhea leaves non-zero formats (batches) encoded and decodes format 0: re-encode those.
  const raw: unknown = context.message;
  const payload = Buffer.isBuffer(raw) ? raw : rheaMessage.encode(context.message as Message);
  if (payload.length > options.maxMessageBytes) {
    delivery.reject(
      amqpError(
        'amqp:link:message-size-exceeded',
        `The received message (delivery-id:${delivery.id}, size:${payload.length} bytes) exceeds the limit (${options.maxMessageBytes} bytes) currently allowed on the link.`,
      ),
    );
    return;
  }
  let transfer;
  try {
    transfer = parseTransfer(payload, format);
  } catch (error) {
    delivery.reject(amqpError('amqp:invalid-field', `malformed message: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  if (transfer.events.length === 0) {
    delivery.accept();
    return;
  }
  const { hub } = options;
  const partition =
    options.partition ??
    (transfer.partitionKey !== undefined ? (hub.partitions[partitionForKey(transfer.partitionKey, hub.partitions.length)] as Partition) : hub.nextRoundRobin());
  partition.append(transfer.events, transfer.partitionKey).then(
    () => delivery.accept(),
    (error: unknown) => {
      options.onError('append failed', { hub: hub.name, partitionId: partition.id, error: error instanceof Error ? error.message : String(error) });
      delivery.reject(amqpError('amqp:internal-error', 'The event could not be stored.'));
    },
  );
}
