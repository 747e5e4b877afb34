import { InvocationContext, type Timer } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { encodeDeadLetter, letterQueueNames } from '@telemetry/contracts';
import { silentLogger } from '@telemetry/core';
import { TableParkingStore } from '@telemetry/azure-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { createRehomePoisonHandler } from './functions/rehomePoisonCopies';
import { createReprocessorServices } from './services';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

// Azure's host gives `<queue>-poison` no poison queue of its own: a copy the poison trigger failed
// on stays in `-poison`, and past maxDequeueCount the trigger never runs it again. The timer must
// find it there (no host runs here: the sweep alone must park it).
describe('rehomePoisonCopies sweeps <queue>-poison (Azurite)', () => {
  let azurite: AzuriteInstance;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  it('parks a copy left in -poison, where the host leaves those the poison trigger gave up on', async () => {
    const names = letterQueueNames('sweep-dlq');
    const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
    await Promise.all([queues.getQueueClient(names.pending).create(), queues.getQueueClient(names.poison).create()]);
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('sweep-bodies').create();
    await TableClient.fromConnectionString(azurite.connectionString, 'sweepparking', { allowInsecureConnection: true }).createTable();
    const letter = deadLetterFor('STORE_UNAVAILABLE', Buffer.from('{"deviceId":"drone-00042"}'));
    await queues.getQueueClient(names.poison).sendMessage(encodeDeadLetter(letter)); // as the host copies it: 7-day TTL
    const services = createReprocessorServices(
      {
        DeadLetterStorage: azurite.connectionString, DEAD_LETTER_QUEUE: names.pending, CLAIM_CHECK_CONTAINER: 'sweep-bodies', PARKING_TABLE: 'sweepparking',
        COSMOS_ENDPOINT: 'https://127.0.0.1:9/', COSMOS_KEY: Buffer.from('not used by the sweep').toString('base64'),
      },
      silentLogger,
    );
    try {
      const result = await createRehomePoisonHandler(() => services)(timer, new InvocationContext());
      expect(result).toEqual({ parked: 1, rehomed: 0, kept: 0 });
      expect((await queues.getQueueClient(names.poison).getProperties()).approximateMessagesCount).toBe(0);
      const parking = new TableParkingStore(TableClient.fromConnectionString(azurite.connectionString, 'sweepparking', { allowInsecureConnection: true }), BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('sweep-bodies'));
      expect(await parking.get(letter.id)).toMatchObject({ by: 'poison', code: 'STORE_UNAVAILABLE' });
    } finally {
      await services.telemetry.shutdown();
    }
  });
});
