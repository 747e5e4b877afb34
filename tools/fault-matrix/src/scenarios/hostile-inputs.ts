import { CosmosClient } from '@azure/cosmos';
import type { FaultScenario } from '../fault-scenario';
import { hostileBodies, type HostileBody, type HostileOptions } from '../hostile-bodies';
import type { IotHubEnvelope } from '@telemetry/simulator';
import { sendEvents } from '../send-events';
import { concatRuns, rateOver, simulateLoad } from './load';

/** Keys a stored device document may have: the contract's fields and Cosmos' own. */
const DOCUMENT_KEYS = new Set(['id', 'deviceId', 'battery', 'flightMode', 'position', 'health', 'fieldTimes', 'lastEventTime', 'updatedAt', 'schemaVersion', 'keyFrame', '_rid', '_self', '_etag', '_attachments', '_ts']);

/**
 * Corrupt and hostile inputs under load: the simulator's corrupt events (1%) plus 2% of fast-check bodies
 * (bad UTF-8, deep nesting, huge numbers, prototype-pollution keys, not-an-object, oversize) and
 * valid telemetry wrapped in hostile extras. Every bad one must be parked with its code; the
 * valid ones applied with nothing but the contract's fields stored.
 */
export const hostileInputs: FaultScenario = {
  id: 'hostile-inputs',
  title: 'corrupt and hostile inputs (fast-check)',
  async run(ctx) {
    const hostileCount = Math.max(300, Math.round(ctx.size * 0.02));
    const bodies = hostileBodies({ count: hostileCount, seed: ctx.seed, startTime: Date.now(), devices: 50, maxOversize: Math.max(5, Math.round(hostileCount / 100)) });
    const d = ctx.matrix.descriptor.eventHubs;
    const [load, hostile] = await Promise.all([
      simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.loadSeconds), corruptRatio: 0.01 }),
      sendEvents(bodies, { connectionString: d.connectionString, hubName: d.hubName, batchSize: 20, concurrency: 4 }),
    ]);
    const attacks: Record<string, number> = {};
    for (const b of bodies) attacks[b.attack] = (attacks[b.attack] ?? 0) + 1;
    const sent = concatRuns(load, hostile);
    const corrupt = sent.filter((e) => e.kind === 'corrupt').length;
    return {
      sent,
      facts: { hostile: bodies.length, attacks, corrupt },
      expectations: (audit) => {
        const failures: string[] = [];
        if (audit.parked !== corrupt) failures.push(`${corrupt} corrupt or hostile events sent, ${audit.parked} parked`);
        const codes = Object.keys(audit.parkedByCode).filter((c) => !c.startsWith('EVENT_'));
        if (codes.length) failures.push(`parked with non-input codes: ${codes.join(', ')}`);
        return failures;
      },
      verify: async () => {
        // Prototype-pollution keys and other extras must never reach a stored document.
        const cosmos = new CosmosClient({ endpoint: ctx.matrix.stack.cosmos.endpoint, key: ctx.matrix.stack.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
        const { resources } = await cosmos.database(ctx.matrix.descriptor.cosmos.database).container(ctx.matrix.descriptor.cosmos.container)
          .items.query<Record<string, unknown>>({ query: 'SELECT * FROM c WHERE STARTSWITH(c.deviceId, @p)', parameters: [{ name: '@p', value: 'fuzz-' }] }).fetchAll();
        const bad = resources.filter((doc) => Object.keys(doc).some((k) => !DOCUMENT_KEYS.has(k)));
        return [
          ...(resources.length === 0 ? ['no fuzz device document stored'] : []),
          ...(bad.length ? [`documents with unexpected keys: ${bad.slice(0, 3).map((doc) => `${String(doc['id'])}: ${Object.keys(doc).join(',')}`).join('; ')}`] : []),
        ];
      },
    };
  },
};

/** A hostile body as IoT Hub would forward it: `envelope` null = sent by a plain Event Hubs producer. */
export interface IotHubHostileBody extends HostileBody {
  envelope: IotHubEnvelope | null;
}

/**
 * The hostile-input scenario for IoT Hub identity mode (DEVICE_IDENTITY_SOURCE=iothub): every
 * hostile body of `hostileBodies`, forwarded by IoT Hub as its own device (same expected codes),
 * plus what only that mode can refuse: spoofing (a valid reading naming another device), a
 * module's message, twin/lifecycle events, an event no IoT Hub vouched for, and valid telemetry of
 * devices whose ids only IoT Hub allows (`? # % ' ( ) * ! , = @ ; $ +`), which must be applied.
 */
export function iotHubHostileBodies(options: HostileOptions): IotHubHostileBody[] {
  const base = hostileBodies(options);
  const envelope = (deviceId: string, extra: Partial<IotHubEnvelope> = {}): IotHubEnvelope => ({ deviceId, generationId: `gen-${deviceId}`, source: 'Telemetry', ...extra });
  const out: IotHubHostileBody[] = base.map((b) => ({ ...b, envelope: envelope(b.deviceId) }));
  let clock = options.startTime + options.count + 1;
  const ts = (): string => new Date(clock++).toISOString();
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  const extra = Math.max(5, Math.round(options.count / 20));
  for (let i = 0; i < extra; i++) {
    const sender = `fuzz-${String(i % 50).padStart(3, '0')}`;
    const victim = `fuzz-${String((i + 1) % 50).padStart(3, '0')}`;
    out.push({ deviceId: sender, envelope: envelope(sender), body: json({ deviceId: victim, timestamp: ts(), battery: 0.0005, flightMode: 7 }), kind: 'corrupt', attack: 'spoof', expectedCode: 'EVENT_DEVICE_SPOOFED' });
    out.push({ deviceId: sender, envelope: envelope(sender, { moduleId: 'camera' }), body: json({ timestamp: ts(), battery: 0.0015 }), kind: 'corrupt', attack: 'module', expectedCode: 'EVENT_FROM_MODULE' });
    out.push({ deviceId: sender, envelope: envelope(sender, { source: i % 2 ? 'twinChangeEvents' : 'deviceLifecycleEvents' }), body: json({ deviceId: sender, timestamp: ts(), battery: 0.0025 }), kind: 'corrupt', attack: 'non-telemetry', expectedCode: 'EVENT_NOT_TELEMETRY' });
    out.push({ deviceId: victim, envelope: null, body: json({ deviceId: victim, timestamp: ts(), battery: 0.0035 }), kind: 'corrupt', attack: 'unauthenticated', expectedCode: 'EVENT_IDENTITY_MISSING' });
    const hubId = `fuzz:${i}?#%'()*!,=@;$+`;
    const telemetry = { deviceId: hubId, timestamp: ts(), battery: 0.5 };
    out.push({ deviceId: hubId, envelope: envelope(hubId), body: json({ timestamp: telemetry.timestamp, battery: 0.5, __proto__x: 1 }), kind: 'valid', attack: 'iot-hub-id', telemetry });
  }
  return out;
}
