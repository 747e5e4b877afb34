import { message } from 'rhea';
import { decodeRecord, encodeRecord } from '../storage/record';
import { buildEventRecord } from './event-message';
import { BATCH_MESSAGE_FORMAT, parseTransfer } from './incoming-events';

describe('event records', () => {
  const event = {
    body: message.data_section(Buffer.from([1, 2, 3])),
    message_id: 'm-1',
    correlation_id: 'c-1',
    content_type: 'application/json',
    application_properties: { deviceId: 'd1', n: 5 },
    message_annotations: { 'x-opt-partition-key': 'k1', 'x-opt-offset': 'forged' },
  };

  it('splices service annotations into a batched event and frames it like encodeRecord', () => {
    const envelope = message.encode({ body: message.data_sections([message.encode(event)]), message_annotations: { 'x-opt-partition-key': 'k1' } });
    const transfer = parseTransfer(envelope, BATCH_MESSAGE_FORMAT);
    expect(transfer.partitionKey).toBe('k1');
    const built = buildEventRecord(transfer.events[0]!, { sequenceNumber: 41, offset: 123456, enqueuedMs: 1_700_000_000_000 }, transfer.partitionKey);
    const decoded = message.decode(built.message.bytes);
    expect(decoded.message_annotations).toEqual({ 'x-opt-partition-key': 'k1', 'x-opt-sequence-number': 41, 'x-opt-offset': '123456', 'x-opt-enqueued-time': new Date(1_700_000_000_000) });
    expect(decoded).toMatchObject({ message_id: 'm-1', correlation_id: 'c-1', content_type: 'application/json', application_properties: { deviceId: 'd1', n: 5 } });
    expect(decoded.body.content).toEqual(Buffer.from([1, 2, 3]));
    const same = encodeRecord({ sequenceNumber: 41, enqueuedMs: 1_700_000_000_000, headerEnd: built.message.headerEnd, message: built.message.bytes });
    expect(built.record.equals(same)).toBe(true);
    const back = decodeRecord(built.record, 0);
    expect(back.kind === 'record' && back.record.message.equals(built.message.bytes)).toBe(true);
  });
});
