import type { AmqpError } from 'rhea';
import { amqpError } from './conditions';

export interface Reader {
  name: string;
  /** Owner level (`com.microsoft:epoch`), undefined for a non-epoch reader. */
  epoch?: number;
  /** Detaches the reader's link with `error`. */
  disconnect(error: AmqpError): void;
}

/** The service allows this many non-epoch readers per consumer group and partition. */
export const MAX_NON_EPOCH_READERS = 5;

/**
 * The readers of one consumer group's partitions, with the service's owner-level rules:
 * a reader with epoch E disconnects every reader with epoch <= E and every non-epoch
 * reader (`amqp:link:stolen`); it is refused while a higher epoch is attached; a non-epoch
 * reader is refused while any epoch reader is attached.
 */
export class ReaderRegistry {
  private readonly readers = new Map<string, Set<Reader>>();

  /** Registers `reader` or returns why it is refused. */
  add(key: string, reader: Reader): AmqpError | undefined {
    const current = this.readers.get(key) ?? new Set<Reader>();
    const epochs = [...current].map((r) => r.epoch).filter((e): e is number => e !== undefined);
    const highest = epochs.length ? Math.max(...epochs) : undefined;
    if (reader.epoch === undefined) {
      if (highest !== undefined) {
        return amqpError('amqp:link:stolen', `At least one receiver for the endpoint is created with epoch of '${highest}', and so non-epoch receiver is not allowed. Either reconnect with a higher epoch, or make sure all epoch receivers are closed or disconnected.`);
      }
      if (current.size >= MAX_NON_EPOCH_READERS) {
        return amqpError('amqp:resource-limit-exceeded', `Exceeded the maximum number of allowed receivers per partition in a consumer group which is ${MAX_NON_EPOCH_READERS}.`);
      }
    } else {
      if (highest !== undefined && highest > reader.epoch) {
        return amqpError('amqp:link:stolen', `Receiver '${reader.name}' with epoch '${reader.epoch}' cannot be created: a receiver with a higher epoch of '${highest}' already exists. Make sure you are creating receivers with increasing epoch values.`);
      }
      for (const other of current) {
        current.delete(other);
        other.disconnect(
          amqpError('amqp:link:stolen', `New receiver '${reader.name}' with higher epoch of '${reader.epoch}' is created hence current receiver '${other.name}' with epoch '${other.epoch ?? 'none'}' is getting disconnected.`),
        );
      }
    }
    current.add(reader);
    this.readers.set(key, current);
    return undefined;
  }

  remove(key: string, reader: Reader): void {
    const current = this.readers.get(key);
    if (!current) return;
    current.delete(reader);
    if (current.size === 0) this.readers.delete(key);
  }
}
