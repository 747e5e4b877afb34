import { encodeLong, encodeMap, encodeString, encodeSymbol, encodeTimestamp } from './codec';
import { PARTITION_KEY, type IncomingEvent } from './incoming-events';

const SEQUENCE_NUMBER = encodeSymbol('x-opt-sequence-number');
const OFFSET = encodeSymbol('x-opt-offset');
const ENQUEUED_TIME = encodeSymbol('x-opt-enqueued-time');
const PARTITION_KEY_SYMBOL = encodeSymbol(PARTITION_KEY);
const RESERVED = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time']);
const MESSAGE_ANNOTATIONS = Buffer.from([0x00, 0x53, 0x72]);
const DELIVERY_ANNOTATIONS = Buffer.from([0x00, 0x53, 0x71]);

export interface SystemProperties {
  sequenceNumber: number;
  offset: number;
  enqueuedMs: number;
}

/** The event as consumers receive it: producer sections with the service annotations spliced in. */
export interface EventMessage {
  /** Encoded AMQP message. */
  bytes: Buffer;
  /** Length of the header section at the start of `bytes` (0 when none): delivery annotations go there. */
  headerEnd: number;
}

export function buildEventMessage(event: IncomingEvent, system: SystemProperties, transferPartitionKey?: string): EventMessage {
  const entries: Buffer[] = [];
  for (const entry of event.annotations) {
    if (entry.key === undefined || !RESERVED.has(entry.key)) entries.push(entry.bytes);
  }
  if (event.partitionKey === undefined && transferPartitionKey !== undefined) {
    entries.push(Buffer.concat([PARTITION_KEY_SYMBOL, encodeString(transferPartitionKey)]));
  }
  entries.push(
    Buffer.concat([SEQUENCE_NUMBER, encodeLong(system.sequenceNumber)]),
    Buffer.concat([OFFSET, encodeString(String(system.offset))]),
    Buffer.concat([ENQUEUED_TIME, encodeTimestamp(system.enqueuedMs)]),
  );
  const annotations = Buffer.concat([MESSAGE_ANNOTATIONS, encodeMap(entries)]);
  const header = event.header;
  const bytes = Buffer.concat(header ? [header, annotations, ...event.rest] : [annotations, ...event.rest]);
  return { bytes, headerEnd: header?.length ?? 0 };
}

export interface RuntimeInfo {
  lastSequenceNumber: number;
  lastOffset: number;
  lastEnqueuedMs: number;
  retrievalMs: number;
}

/** Receiver runtime metrics, as delivery annotations the SDK reads into lastEnqueuedEventProperties. */
export function withRuntimeInfo(message: EventMessage, info: RuntimeInfo): Buffer {
  const annotations = encodeMap([
    Buffer.concat([encodeSymbol('last_enqueued_sequence_number'), encodeLong(info.lastSequenceNumber)]),
    Buffer.concat([encodeSymbol('last_enqueued_offset'), encodeString(String(info.lastOffset))]),
    Buffer.concat([encodeSymbol('last_enqueued_time_utc'), encodeTimestamp(info.lastEnqueuedMs)]),
    Buffer.concat([encodeSymbol('runtime_info_retrieval_time_utc'), encodeTimestamp(info.retrievalMs)]),
  ]);
  const { bytes, headerEnd } = message;
  return Buffer.concat([bytes.subarray(0, headerEnd), DELIVERY_ANNOTATIONS, annotations, bytes.subarray(headerEnd)]);
}
