import { readBinary, readSymbolOrString, skipValue, type MapEntry } from './codec';
import { Section, sectionMapEntries, splitSections } from './message-sections';

export const PARTITION_KEY = 'x-opt-partition-key';

/** One event as a producer sent it, split so the service annotations can be spliced in. */
export interface IncomingEvent {
  /** The header section, if the producer sent one (kept as sent). */
  header?: Buffer;
  /** Producer-set message annotations, encoded key+value each. */
  annotations: MapEntry[];
  /** Properties, application properties, body and footer sections, in wire order. */
  rest: Buffer[];
  partitionKey?: string;
}

export interface IncomingTransfer {
  events: IncomingEvent[];
  /** From the batch envelope (or the single event) annotations. */
  partitionKey?: string;
}

/** Message format of an Event Hubs batch: its data sections each hold one encoded event. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

function partitionKeyOf(entries: MapEntry[]): string | undefined {
  for (const entry of entries) {
    if (entry.key === PARTITION_KEY) return readSymbolOrString(entry.bytes, skipValue(entry.bytes, 0));
  }
  return undefined;
}

/** Parses one encoded event message (delivery annotations are per hop and are dropped). */
export function parseEvent(encoded: Buffer): IncomingEvent {
  const event: IncomingEvent = { annotations: [], rest: [] };
  for (const section of splitSections(encoded)) {
    if (section.code === Section.header) event.header = section.bytes;
    else if (section.code === Section.messageAnnotations) event.annotations = sectionMapEntries(section);
    else if (section.code !== Section.deliveryAnnotations) event.rest.push(section.bytes);
  }
  const key = partitionKeyOf(event.annotations);
  if (key !== undefined) event.partitionKey = key;
  return event;
}

/** Parses a transfer: a batch envelope (format 0x80013700) or a single event (format 0). */
export function parseTransfer(payload: Buffer, format: number): IncomingTransfer {
  if (format !== BATCH_MESSAGE_FORMAT) {
    const event = parseEvent(payload);
    return event.partitionKey === undefined ? { events: [event] } : { events: [event], partitionKey: event.partitionKey };
  }
  const transfer: IncomingTransfer = { events: [] };
  for (const section of splitSections(payload)) {
    if (section.code === Section.data) {
      transfer.events.push(parseEvent(readBinary(section.bytes, section.valueStart)));
    } else if (section.code === Section.messageAnnotations) {
      const key = partitionKeyOf(sectionMapEntries(section));
      if (key !== undefined) transfer.partitionKey = key;
    }
  }
  return transfer;
}
