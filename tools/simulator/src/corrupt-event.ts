/** The kinds of bad input the simulator injects, each with the issue code ingestion must give it. */
export const CORRUPTIONS = [
  { kind: 'truncated-json', code: 'EVENT_MALFORMED' },
  { kind: 'schema-violation', code: 'EVENT_INVALID' },
  { kind: 'wrong-type', code: 'EVENT_INVALID' },
  { kind: 'bad-utf8', code: 'EVENT_ENCODING' },
  { kind: 'oversize', code: 'EVENT_OVERSIZE' },
  { kind: 'prototype-pollution', code: 'EVENT_INVALID' },
] as const;

export type Corruption = (typeof CORRUPTIONS)[number];

/** A bad body derived from a good event, so it still names a device (as real bad input often does). */
export function corruptBody(valid: { deviceId: string; timestamp: string }, corruption: Corruption): Buffer {
  const json = JSON.stringify(valid);
  switch (corruption.kind) {
    case 'truncated-json':
      return Buffer.from(json.slice(0, Math.max(1, json.length - 7)));
    case 'schema-violation':
      return Buffer.from(JSON.stringify({ ...valid, battery: 4.2, flightMode: 99 }));
    case 'wrong-type':
      return Buffer.from(JSON.stringify({ ...valid, position: 'over the hills' }));
    case 'bad-utf8':
      return Buffer.concat([Buffer.from(`{"deviceId":"${valid.deviceId}","note":"`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')]);
    case 'oversize':
      return Buffer.from(JSON.stringify({ ...valid, padding: 'x'.repeat(66 * 1024) }));
    case 'prototype-pollution':
      return Buffer.from(`{"deviceId":"${valid.deviceId}","timestamp":"${valid.timestamp}","__proto__":{"isAdmin":true},"battery":"full"}`);
  }
}
