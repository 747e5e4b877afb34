import { PipelineError } from '@telemetry/core';
import { startAzurite, startFaultProxy, type AzuriteInstance } from '@telemetry/local-services';
import { buildDeadLetter } from '@telemetry/dead-letter';
import { decodeDeadLetter, encodeDeadLetter, MAX_QUEUE_MESSAGE_BYTES, type DeadLetter, type SourceEvent } from '@telemetry/contracts';
import { ensureDeadLetterResources } from '@telemetry/provisioning';
import { QueueDeadLetterSink } from './queue-dead-letter-sink';
import { resolveDeadLetter } from './resolve-dead-letter';
import { connectStorage } from './storage-connection';

const event = (body: Uint8Array, properties: Record<string, unknown> = {}): SourceEvent => ({
  body, partitionId: '2', sequenceNumber: 41, offset: '4096', enqueuedTimeUtc: '2026-11-21T22:00:01.000Z', partitionKey: 'drone-00001', properties,
});
const retry = { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 };

describe('QueueDeadLetterSink on Azurite', () => {
  let azurite: AzuriteInstance;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  const setup = async (name: string) => {
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const queue = queues.getQueueClient(name);
    const container = blobs.getContainerClient(`${name}-bodies`);
    await ensureDeadLetterResources(queue, container);
    return { queue, container, sink: new QueueDeadLetterSink(queue, container, { retry }) };
  };

  it('writes a dead letter with its context and redacts credentials in properties', async () => {
    const { queue, sink } = await setup('dl-basic');
    const body = Buffer.from('{"deviceId":"drone-00001","timestamp":');
    const letter = buildDeadLetter({
      error: new PipelineError('EVENT_MALFORMED', 'body is not valid JSON'),
      event: event(body, { source: 'sim', authorization: 'Bearer abc.def', note: 'AccountKey=c2VjcmV0;x' }),
      source: { eventHubName: 'telemetry', consumerGroup: '$Default' },
      attempts: 0, app: 'ingestion', invocationId: 'inv-1',
    });
    await sink.send([letter]);
    const { receivedMessageItems } = await queue.receiveMessages();
    const got = decodeDeadLetter(receivedMessageItems[0]!.messageText);
    expect(got).toMatchObject({
      issue: { code: 'EVENT_MALFORMED', retryable: false, stage: 'decode' },
      partitionId: '2', sequenceNumber: 41, offset: '4096', partitionKey: 'drone-00001', deviceId: 'drone-00001',
      eventHubName: 'telemetry', attempts: 0, decoded: null,
      properties: { source: 'sim', authorization: '***', note: 'AccountKey=***;x' },
    });
    expect(Buffer.from(got.body!, 'base64')).toEqual(body);
    expect(receivedMessageItems[0]!.expiresOn!.getFullYear()).toBeGreaterThan(9000); // never expires
  });

  it('claim-checks a letter too big for a queue message, and resolves it back byte for byte', async () => {
    const { queue, container, sink } = await setup('dl-big');
    const body = Buffer.alloc(60 * 1024, 0x61);
    await sink.send([buildDeadLetter({ error: new PipelineError('EVENT_OVERSIZE', 'too big'), event: event(body), attempts: 0, app: 'ingestion' })]);
    const { receivedMessageItems } = await queue.receiveMessages();
    const text = receivedMessageItems[0]!.messageText;
    expect(text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    const summary = decodeDeadLetter(text);
    expect(summary.body).toBeNull();
    expect(summary.claimCheck?.container).toBe(container.containerName);
    const full = await resolveDeadLetter(summary, container);
    expect(Buffer.from(full.body!, 'base64')).toEqual(body);
    expect(full.issue.code).toBe('EVENT_OVERSIZE');
  });

  it('a retried batch rebuilds the same letter: same id, one claim-check blob named from the id alone, overwritten not orphaned (issue 13 item 3)', async () => {
    const { queue, container, sink } = await setup('dl-retry');
    const build = (now: Date, invocationId: string) =>
      buildDeadLetter({
        error: new PipelineError('EVENT_INVALID', 'battery out of range'), event: event(Buffer.alloc(60 * 1024, 0x63)),
        source: { eventHubName: 'telemetry', consumerGroup: '$Default' }, attempts: 0, app: 'ingestion', invocationId, now,
      });
    const first = build(new Date('2026-11-21T23:59:59.000Z'), 'inv-1');
    const retried = build(new Date('2026-11-22T00:00:30.000Z'), 'inv-2'); // the host retried the batch after midnight
    expect(retried.id).toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    const otherIssue = buildDeadLetter({ error: new PipelineError('EVENT_MALFORMED', 'x'), event: event(Buffer.from('{')), source: { eventHubName: 'telemetry', consumerGroup: '$Default' }, attempts: 0, app: 'ingestion' });
    const otherEvent = buildDeadLetter({ error: new PipelineError('EVENT_INVALID', 'x'), event: { ...event(Buffer.from('{}')), sequenceNumber: 42 }, source: { eventHubName: 'telemetry', consumerGroup: '$Default' }, attempts: 0, app: 'ingestion' });
    expect(new Set([first.id, otherIssue.id, otherEvent.id]).size).toBe(3);
    await sink.send([first]);
    await sink.send([retried]);
    const blobs: string[] = [];
    for await (const b of container.listBlobsFlat()) blobs.push(b.name);
    expect(blobs).toEqual([`${first.id}.json`]);
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(receivedMessageItems.map((m) => decodeDeadLetter(m.messageText).id)).toEqual([first.id, first.id]); // two copies, one letter
    const full = await resolveDeadLetter(decodeDeadLetter(receivedMessageItems[0]!.messageText), container);
    expect(full).toMatchObject({ id: first.id, producer: { invocationId: 'inv-2' } });
  });

  it('follows only claim checks the sink produces: ../, another container, another letter -> CLAIM_CHECK_INVALID, nothing read outside (issue 13 item 4)', async () => {
    const { container, sink } = await setup('dl-names');
    const { blobs } = connectStorage({ connectionString: azurite.connectionString });
    const secrets = blobs.getContainerClient('dl-names-secrets');
    await secrets.create();
    const big = (seq: number): DeadLetter =>
      buildDeadLetter({ error: new PipelineError('EVENT_INVALID', 'bad'), event: { ...event(Buffer.alloc(60 * 1024, 0x64)), sequenceNumber: seq }, attempts: 0, app: 'ingestion' });
    const victim = big(1);
    await secrets.getBlockBlobClient('victim.json').uploadData(Buffer.from(JSON.stringify(victim)));
    const mine = big(2);
    const other = big(3);
    await sink.send([mine, other]);
    const summary = (blobName: string, inContainer = container.containerName): DeadLetter =>
      ({ ...mine, body: null, claimCheck: { container: inContainer, blobName, bytes: 1 } });
    for (const crafted of [
      summary('../dl-names-secrets/victim.json'),
      summary(`${mine.id}/../../dl-names-secrets/victim.json`),
      summary('victim.json', 'dl-names-secrets'),
      summary(`${other.id}.json`), // a real blob, but another letter's
      summary(`${mine.id}.json`, 'dl-names-secrets'),
    ]) {
      await expect(resolveDeadLetter(crafted, container)).rejects.toMatchObject({ code: 'CLAIM_CHECK_INVALID', retryable: false });
    }
    expect(decodeDeadLetter(encodeDeadLetter(summary(`${mine.id}.json`))).claimCheck?.blobName).toBe(`${mine.id}.json`);
    expect((await resolveDeadLetter(summary(`${mine.id}.json`), container)).id).toBe(mine.id);
  });

  it('fails with DEAD_LETTER_UNAVAILABLE when storage cannot be reached', async () => {
    const { queues, blobs } = connectStorage({
      connectionString: azurite.connectionString.replace(`:${azurite.queuePort}/`, ':1/').replace(`:${azurite.blobPort}/`, ':1/'),
    });
    const sink = new QueueDeadLetterSink(queues.getQueueClient('x'), blobs.getContainerClient('y'), { retry });
    const letter = buildDeadLetter({ error: new PipelineError('EVENT_INVALID', 'bad'), event: event(Buffer.from('{}')), attempts: 0, app: 'ingestion' });
    await expect(sink.send([letter])).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
  });

  it('a write the network swallows ends in its call timeout (DEAD_LETTER_UNAVAILABLE), and writes work once it answers again', async () => {
    await setup('dl-blackhole');
    const proxy = await startFaultProxy(`http://127.0.0.1:${azurite.queuePort}`);
    try {
      const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString.replace(`:${azurite.queuePort}/`, `:${proxy.port}/`) });
      const sink = new QueueDeadLetterSink(queues.getQueueClient('dl-blackhole'), blobs.getContainerClient('dl-blackhole-bodies'), { retry, callTimeoutMs: 500 });
      const letter = buildDeadLetter({ error: new PipelineError('EVENT_INVALID', 'bad'), event: event(Buffer.from('{}')), attempts: 0, app: 'ingestion' });
      proxy.setMode({ kind: 'blackhole' });
      await expect(sink.send([letter])).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
      // Both attempts reached the black hole and were given up by the client.
      expect(proxy.requests().filter((r) => r.held && r.method === 'POST')).toHaveLength(retry.maxAttempts);
      proxy.setMode({ kind: 'pass' });
      await sink.send([letter]);
      expect((await queues.getQueueClient('dl-blackhole').getProperties()).approximateMessagesCount).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
