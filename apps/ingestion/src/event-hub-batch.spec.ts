import { execFileSync } from 'node:child_process';
import { InvocationContext } from '@azure/functions';
import { toSourceEvents, utcInstant } from './event-hub-batch';

// The trigger metadata as Azure delivers it to a Node app: the extension's binding data
// (EventHubTriggerBindingStrategy: string[] keys and offsets, DateTime[] enqueued times), through
// the host's RPC conversion (string collections lose null entries; Json.NET writes DateTimes of
// unspecified kind without a zone) and the library's fromRpcTypedData (each string JSON-parsed)
// and camel-casing.
describe('toSourceEvents: the trigger metadata in the shapes Azure delivers', () => {
  const context = (meta: Record<string, unknown>) =>
    new InvocationContext({ functionName: 'ingestTelemetry', triggerMetadata: meta, logHandler: () => undefined });

  it('keyless events keep null keys and numeric-looking keys stay strings, although the array lost the nulls', () => {
    const meta = {
      partitionContext: { eventHubName: 'telemetry', consumerGroup: '$Default', fullyQualifiedNamespace: 'ns.servicebus.windows.net', partitionId: '3' },
      sequenceNumberArray: [7, 8, 9],
      offsetArray: [0, 142, 300],
      enqueuedTimeUtcArray: ['2026-12-02T02:38:35.05', '2026-12-02T02:38:35', '2026-12-02T02:38:35.1234567'],
      partitionKeyArray: [42, 'drone-7'],
      propertiesArray: [{}, {}, {}],
      systemPropertiesArray: [
        { 'x-opt-sequence-number': 7, sequenceNumber: 7, offset: 0, partitionKey: null, enqueuedTimeUtc: '2026-12-02T02:38:35.05' },
        { 'x-opt-sequence-number': 8, sequenceNumber: 8, offset: 142, partitionKey: '42', enqueuedTimeUtc: '2026-12-02T02:38:35' },
        { 'x-opt-sequence-number': 9, sequenceNumber: 9, offset: 300, partitionKey: 'drone-7', enqueuedTimeUtc: '2026-12-02T02:38:35.1234567' },
      ],
    };
    const { events, source } = toSourceEvents([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], context(meta));
    expect(events.map((e) => [e.sequenceNumber, e.offset, e.partitionKey, e.enqueuedTimeUtc, e.partitionId])).toEqual([
      [7, '0', null, '2026-12-02T02:38:35.050Z', '3'],
      [8, '142', '42', '2026-12-02T02:38:35.000Z', '3'],
      [9, '300', 'drone-7', '2026-12-02T02:38:35.123Z', '3'],
    ]);
    expect(source).toEqual({ eventHubName: 'telemetry', consumerGroup: '$Default', fullyQualifiedNamespace: 'ns.servicebus.windows.net' });
  });

  it('without system properties, a partition key array that does not line up with the batch is not trusted', () => {
    const meta = { partitionContext: { partitionId: '0' }, sequenceNumberArray: [1, 2], offsetArray: ['0', '10'], enqueuedTimeUtcArray: ['2026-12-02T02:38:35Z', '2026-12-02T02:38:36Z'], partitionKeyArray: ['k'] };
    expect(toSourceEvents([Buffer.from('a'), Buffer.from('b')], context(meta)).events.map((e) => e.partitionKey)).toEqual([null, null]);
    const aligned = { ...meta, partitionKeyArray: ['k', null] };
    expect(toSourceEvents([Buffer.from('a'), Buffer.from('b')], context(aligned)).events.map((e) => e.partitionKey)).toEqual(['k', null]);
  });

  it('enqueued times: zone-less is UTC whatever the process time zone; zoned and Date values keep their instant; junk passes through', () => {
    // CI runs in UTC, where reading a zone-less time as local would pass unnoticed: ask a process in New York too.
    const inNewYork = execFileSync(process.execPath, ['--import', require.resolve('tsx'), '-e',
      `const m = require(${JSON.stringify(require.resolve('./event-hub-batch'))}); process.stdout.write(new Date(2026, 11, 2).getTimezoneOffset() + ' ' + m.utcInstant('2026-12-02T02:38:35.05'))`,
    ], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8', timeout: 60_000 });
    expect(inNewYork).toBe('300 2026-12-02T02:38:35.050Z');
    expect(utcInstant('2026-12-02T02:38:35.05')).toBe('2026-12-02T02:38:35.050Z');
    expect(utcInstant('2026-12-02T03:38:35.05+01:00')).toBe('2026-12-02T02:38:35.050Z');
    expect(utcInstant('2026-12-02T02:38:35.050Z')).toBe('2026-12-02T02:38:35.050Z');
    expect(utcInstant(new Date('2026-12-02T02:38:35.050Z'))).toBe('2026-12-02T02:38:35.050Z');
    expect(utcInstant('not a time')).toBe('not a time');
    expect(utcInstant(undefined)).toBe('');
  });
});
