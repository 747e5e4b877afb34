import { createHmac } from 'node:crypto';
import path from 'node:path';
import { partitionForKey } from './partition-key';
import { parsePositionFilter } from './position-filter';
import { checkSasToken } from './sas';
import { parseResource, resourceCovers } from './sas-audience';

// The SDK's own mapper (used by its buffered producer): resolved by file path, it is not exported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkMapper = require(path.join(path.dirname(require.resolve('@azure/event-hubs')), 'impl', 'partitionKeyToIdMapper.js')) as {
  mapPartitionKeyToId(key: string, count: number): number;
};

function token(audience: string, keyName: string, key: string, expiry: number): string {
  const sr = encodeURIComponent(audience);
  const sig = encodeURIComponent(createHmac('sha256', key).update(`${sr}\n${expiry}`).digest('base64'));
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${expiry}&skn=${keyName}`;
}

describe('service rules', () => {
  it('maps partition keys exactly like the SDK (and so the service)', () => {
    const keys = ['', 'a', 'device-42', 'ünïcødé', 'x'.repeat(11), 'y'.repeat(12), 'z'.repeat(13), 'k'.repeat(100)];
    for (let i = 0; i < 200; i++) keys.push(`dev-${i * 7919}`);
    for (const key of keys) for (const count of [1, 2, 4, 32]) expect(partitionForKey(key, count)).toBe(sdkMapper.mapPartitionKeyToId(key, count));
  });

  it('checks SAS signatures, key names and expiry', () => {
    const key = { keyName: 'root', key: 'secret' };
    const audience = 'sb://127.0.0.1:45672/telemetry';
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(checkSasToken(token(audience, 'root', 'secret', future), key)).toEqual({ ok: true, keyName: 'root', resource: audience, rights: ['Manage', 'Send', 'Listen'] });
    expect(checkSasToken(token(audience, 'listen', 'l', future), [key, { keyName: 'listen', key: 'l', rights: ['Listen'] }])).toMatchObject({ ok: true, rights: ['Listen'] });
    expect(checkSasToken(token(audience, 'root', 'second', future), { ...key, secondaryKey: 'second' })).toMatchObject({ ok: true });
    expect(checkSasToken(token(audience, 'root', 'wrong', future), key)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(checkSasToken(token(audience, 'other', 'secret', future), key)).toEqual({ ok: false, reason: 'unknown-key-name' });
    expect(checkSasToken(token(audience, 'root', 'secret', 1000), key)).toEqual({ ok: false, reason: 'expired' });
    expect(checkSasToken('Bearer abc', key)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a token covers its resource and everything below it: same host, whole segments, any scheme or case', () => {
    const covers = (sr: string, target: string): boolean => resourceCovers(parseResource(sr), parseResource(target));
    expect(covers('sb://h:1/telemetry', 'sb://h:1/telemetry/ConsumerGroups/$default/Partitions/0')).toBe(true);
    expect(covers('https://H:1/Telemetry/', 'sb://h:1/telemetry/$management')).toBe(true);
    expect(covers('sb://h:1/', 'sb://h:1/anything')).toBe(true);
    expect(covers('h:1/telemetry', 'sb://h:1/telemetry')).toBe(true);
    expect(covers('sb://h:1/tele', 'sb://h:1/telemetry')).toBe(false);
    expect(covers('sb://h:1/telemetry/Partitions/0', 'sb://h:1/telemetry')).toBe(false);
    expect(covers('sb://other:1/telemetry', 'sb://h:1/telemetry')).toBe(false);
  });

  it('parses the start positions the SDK sends', () => {
    expect(parsePositionFilter("amqp.annotation.x-opt-offset > '-1'")).toEqual({ kind: 'earliest' });
    expect(parsePositionFilter("amqp.annotation.x-opt-offset > '@latest'")).toEqual({ kind: 'latest' });
    expect(parsePositionFilter("amqp.annotation.x-opt-offset >= '120'")).toEqual({ kind: 'offset', offset: 120, inclusive: true });
    expect(parsePositionFilter("amqp.annotation.x-opt-sequence-number > '7'")).toEqual({ kind: 'sequence', sequenceNumber: 7, inclusive: false });
    expect(parsePositionFilter("amqp.annotation.x-opt-enqueued-time > '1700000000000'")).toEqual({ kind: 'enqueued', ms: 1700000000000, inclusive: false });
    expect(parsePositionFilter('nonsense')).toBeUndefined();
  });
});
