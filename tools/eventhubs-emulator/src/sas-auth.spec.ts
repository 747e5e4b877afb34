import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type MessagingError } from '@azure/event-hubs';
import { emulatorConnectionString } from './connection-string';
import { start, type EventHubsEmulator } from './emulator';
import { spawnEmulator } from './spawn-emulator';
import { receiveEvents } from './testing/consume';

const quiet = (): void => undefined;
// No retries, so a refusal surfaces as is; a long timeout, so a loaded machine does not turn it into a timeout.
const noRetry = { retryOptions: { maxRetries: 0, timeoutInMs: 60_000 } };
const RULE = { keyName: 'RootManageSharedAccessKey', key: 'cHJpbWFyeS1rZXktZm9yLXRlc3Rz', secondaryKey: 'c2Vjb25kYXJ5LWtleS1mb3ItdGVzdHM=' };
const LISTEN = { keyName: 'ListenOnly', key: 'bGlzdGVuLW9ubHkta2V5', rights: ['Listen' as const] };
const SEND = { keyName: 'SendOnly', key: 'c2VuZC1vbmx5LWtleQ==', rights: ['Send' as const] };

/** A SAS token as the SDK builds one (core-amqp createToken): HMAC-SHA256 of `<encoded sr>\n<se>`. */
function sasToken(resource: string, key: string, expirySeconds: number, keyName = RULE.keyName): string {
  const sr = encodeURIComponent(resource);
  const sig = encodeURIComponent(createHmac('sha256', key).update(`${sr}\n${expirySeconds}`).digest('base64'));
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${expirySeconds}&skn=${keyName}`;
}

const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

describe('emulator SAS: signature, expiry and audience checked as the service does', () => {
  let emulator: EventHubsEmulator;
  const endpoint = (): string => `sb://127.0.0.1:${emulator.port}`;
  /** A connection string carrying a ready-made token (the SDK then sends it for every audience). */
  const withToken = (token: string, hub = 'secure'): string =>
    `Endpoint=${endpoint()};SharedAccessSignature=${token};EntityPath=${hub};UseDevelopmentEmulator=true`;

  async function propertiesError(connectionString: string): Promise<MessagingError | undefined> {
    const producer = new EventHubProducerClient(connectionString, noRetry);
    try {
      await producer.getEventHubProperties();
      return undefined;
    } catch (error) {
      return error as MessagingError;
    } finally {
      await producer.close();
    }
  }

  async function sendError(connectionString: string): Promise<MessagingError | undefined> {
    const producer = new EventHubProducerClient(connectionString, noRetry);
    try {
      await producer.sendBatch([{ body: 'x' }], { partitionId: '0' });
      return undefined;
    } catch (error) {
      return error as MessagingError;
    } finally {
      await producer.close();
    }
  }

  beforeAll(async () => {
    emulator = await start({ hubs: [{ name: 'secure', partitions: 1 }, { name: 'sec', partitions: 1 }, { name: 'other', partitions: 1 }], sas: RULE, sasRules: [LISTEN, SEND], log: quiet });
  });
  afterAll(async () => emulator?.close());

  it('the rule key, or its secondary key, sends and receives', async () => {
    expect(await sendError(emulator.connectionStringFor('secure'))).toBeUndefined();
    const secondary = emulatorConnectionString(emulator.port, 'secure', { keyName: RULE.keyName, key: RULE.secondaryKey });
    expect(await propertiesError(secondary)).toBeUndefined();
    const consumer = new EventHubConsumerClient('$Default', emulator.connectionStringFor('secure'));
    try {
      expect((await receiveEvents(consumer, '0', earliestEventPosition, 1)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await consumer.close();
    }
  });

  it('a wrong key or an unknown rule name: UnauthorizedError', async () => {
    expect((await propertiesError(emulatorConnectionString(emulator.port, 'secure', { keyName: RULE.keyName, key: 'd3Jvbmc=' })))?.code).toBe('UnauthorizedError');
    expect((await sendError(emulatorConnectionString(emulator.port, 'secure', { keyName: 'SendOnly', key: RULE.key })))?.code).toBe('UnauthorizedError');
  });

  it('an expired token: UnauthorizedError', async () => {
    const expired = sasToken(`${endpoint()}/secure`, RULE.key, Math.floor(Date.now() / 1000) - 60);
    expect((await propertiesError(withToken(expired)))?.code).toBe('UnauthorizedError');
    expect((await sendError(withToken(expired)))?.code).toBe('UnauthorizedError');
  });

  it("a token whose audience (sr) does not cover the entity: UnauthorizedError, even with a valid signature", async () => {
    const forOther = sasToken(`${endpoint()}/other`, RULE.key, inAnHour());
    expect((await propertiesError(withToken(forOther)))?.code).toBe('UnauthorizedError');
    expect((await sendError(withToken(forOther)))?.code).toBe('UnauthorizedError');
    // Whole segments, not string prefixes: a token for hub `sec` is not one for hub `secure`.
    const forSec = sasToken(`${endpoint()}/sec`, RULE.key, inAnHour());
    expect((await sendError(withToken(forSec)))?.code).toBe('UnauthorizedError');
    expect(await sendError(withToken(forSec, 'sec'))).toBeUndefined();
    // A token for one partition does not cover the hub's other entities.
    const forPartition = sasToken(`${endpoint()}/secure/Partitions/0`, RULE.key, inAnHour());
    expect((await propertiesError(withToken(forPartition)))?.code).toBe('UnauthorizedError');
  });

  it('a token for the hub or the whole namespace covers everything below it (any scheme, any case)', async () => {
    expect(await sendError(withToken(sasToken(`${endpoint()}/secure`, RULE.key, inAnHour())))).toBeUndefined();
    expect(await propertiesError(withToken(sasToken(`https://127.0.0.1:${emulator.port}/SECURE`, RULE.key, inAnHour())))).toBeUndefined();
    expect(await propertiesError(withToken(sasToken(`${endpoint()}/`, RULE.key, inAnHour()), 'other'))).toBeUndefined();
  });

  it("a rule's rights: Listen-only receives but cannot send, Send-only sends but cannot receive (both read hub properties)", async () => {
    const listen = emulatorConnectionString(emulator.port, 'secure', LISTEN);
    const send = emulatorConnectionString(emulator.port, 'secure', SEND);
    expect(await propertiesError(listen)).toBeUndefined();
    expect(await propertiesError(send)).toBeUndefined();
    expect(await sendError(send)).toBeUndefined();
    const refused = await sendError(listen);
    expect(refused?.code).toBe('UnauthorizedError');
    expect(refused?.message).toContain("'Send' claim(s) are required");
    const listener = new EventHubConsumerClient('$Default', listen);
    try {
      expect((await receiveEvents(listener, '0', earliestEventPosition, 1)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await listener.close();
    }
    // No retries: UnauthorizedError is retryable for the SDK, which would otherwise keep re-opening.
    const sender = new EventHubConsumerClient('$Default', send, noRetry);
    try {
      await expect(receiveEvents(sender, '0', earliestEventPosition, 1)).rejects.toMatchObject({ code: 'UnauthorizedError' });
    } finally {
      await sender.close();
    }
  });

  it('a spawned emulator gets its key through the environment, not its command line', async () => {
    const child = await spawnEmulator({ hubs: [{ name: 'secure', partitions: 1 }], sas: { keyName: RULE.keyName, key: RULE.key } });
    try {
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain('--sas-key-name');
      expect(cmdline).not.toContain(RULE.key);
      expect(await sendError(child.connectionString)).toBeUndefined();
      expect((await sendError(child.connectionString.replace(RULE.key, 'd3Jvbmc=')))?.code).toBe('UnauthorizedError');
    } finally {
      await child.stop();
    }
  });
});
