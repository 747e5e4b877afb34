import { QueueClient } from '@azure/storage-queue';
import { silentLogger } from '@telemetry/core';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import { startAzurite, startFaultProxy, waitUntil, type AzuriteInstance, type FaultProxy } from '@telemetry/local-services';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { createReprocessorServices, type ReprocessorServices } from './services';

/**
 * The reprocessor's own writes go to the account its trigger queue lives in: if they give up during
 * an outage of that account, the host's release of the message fails too and the message waits out
 * its 10-minute lease (the dead-letter-queue-down flake). The services ride such an outage out.
 */
describe('reprocessor services: an outage of the dead-letter account is ridden out inside the invocation', () => {
  let azurite: AzuriteInstance;
  let proxies: FaultProxy[];
  let services: ReprocessorServices;

  beforeAll(async () => {
    azurite = await startAzurite();
    proxies = await Promise.all([azurite.blobPort, azurite.queuePort, azurite.tablePort].map((port) => startFaultProxy(`http://127.0.0.1:${port}`)));
    let proxied = azurite.connectionString;
    [azurite.blobPort, azurite.queuePort, azurite.tablePort].forEach((port, i) => (proxied = proxied.replace(`:${port}/`, `:${proxies[i]!.port}/`)));
    await new QueueClient(azurite.connectionString, RESOURCE_NAMES.deadLetterQueue).createIfNotExists();
    services = createReprocessorServices({ COSMOS_ENDPOINT: 'http://127.0.0.1:1/', DeadLetterStorage: proxied }, silentLogger);
  });

  afterAll(async () => {
    await services?.telemetry.shutdown();
    await Promise.all((proxies ?? []).map((p) => p.close()));
    await azurite?.stop();
  });

  it('a re-enqueue and a park that meet bad gateways (502) for more tries than a short budget succeed once the account answers', async () => {
    const [, queueProxy, tableProxy] = proxies as [FaultProxy, FaultProxy, FaultProxy];
    // The account is unreachable behind its gateway: every request is answered 502 (not retried by the storage clients).
    for (const p of proxies) p.setTarget('http://127.0.0.1:1');
    const letter = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(1, 1));
    const parked = deadLetterFor('EVENT_INVALID', makeTelemetry(2, 1));
    const writes = Promise.allSettled([
      services.queue.enqueue(letter),
      services.parking.park({ id: parked.id, code: 'EVENT_INVALID', reason: 'test', parkedAt: new Date().toISOString(), attempts: 0, by: 'reprocessor', letter: parked }),
    ]);
    const refused = (p: FaultProxy, method: string): number => p.requests().filter((r) => r.method === method && r.status === 502).length;
    try {
      // More refused tries than the clients' default budget of 3 would make before giving up.
      await waitUntil(() => refused(queueProxy, 'POST') >= 5 && refused(tableProxy, 'PUT') + refused(tableProxy, 'POST') >= 5, {
        timeoutMs: 120_000, intervalMs: 100, description: 'five refused tries of each write',
      });
    } finally {
      for (const [i, port] of [azurite.blobPort, azurite.queuePort, azurite.tablePort].entries()) proxies[i]!.setTarget(`http://127.0.0.1:${port}`);
    }
    const outcomes = await writes;
    expect(outcomes.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : o.status))).toEqual(['fulfilled', 'fulfilled']);
    expect((await new QueueClient(azurite.connectionString, RESOURCE_NAMES.deadLetterQueue).getProperties()).approximateMessagesCount).toBe(1);
    expect(await services.parking.get(parked.id)).toMatchObject({ code: 'EVENT_INVALID' });
  }, 240_000);
});
