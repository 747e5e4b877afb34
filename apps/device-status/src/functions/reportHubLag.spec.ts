import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventHubProducerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { dataLossAlertFires, defaultDataLossMarginHours, eventHubLagFromSettings } from '@telemetry/azure-event-hubs';
import { RESOURCE_NAMES, type EventHubLag } from '@telemetry/contracts';
import { consoleLogger } from '@telemetry/function-app-kit';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { createTelemetryMetrics } from '@telemetry/observability';
import type { DeviceStatusServices } from '../services';
import { createReportHubLag } from './reportHubLag';

/**
 * Issue 19 part 2, against the real Event Hubs SDK, the emulator and BlobCheckpointStore on
 * Azurite. Ingestion is paused (no consumer runs; its checkpoint stays after the first event)
 * while events keep arriving: the status app's reporter sees the time to data loss fall, and the
 * alert's condition (Minimum < margin, infra/modules/alerts.bicep) fires on the reported figure.
 * The retention setting is small (7.2 s) so the figure crosses the default margin (3.6 s) within
 * seconds; the emulator itself keeps its events (its own retention is 24 h).
 */
describe('reportHubLag: lag that predicts data loss, from the status API app', () => {
  let azurite: AzuriteInstance;
  let emulator: EventHubsEmulator;
  let dataDir: string;
  const RETENTION_HOURS = 0.002;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hub-lag-'));
    [azurite, emulator] = await Promise.all([startAzurite(), start({ dataDir, hubs: [{ name: 'telemetry', partitions: 2, consumerGroups: ['ingestion'] }], log: () => undefined })]);
  });
  afterAll(async () => {
    await emulator?.close();
    await azurite?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('with ingestion paused and events arriving, the time to data loss falls and the alert condition fires', async () => {
    const hubConnection = emulator.connectionString.replace(/;EntityPath=[^;]*/, '');
    const container = new ContainerClient(azurite.connectionString, RESOURCE_NAMES.checkpointContainer);
    await container.createIfNotExists();
    const producer = new EventHubProducerClient(hubConnection, 'telemetry');
    try {
      for (const partitionId of ['0', '1']) await producer.sendBatch([{ body: { n: 0 } }, { body: { n: 1 } }], { partitionId });
      // Ingestion processed each partition's first event, then was paused.
      const store = new BlobCheckpointStore(container);
      for (const partitionId of ['0', '1']) {
        await store.updateCheckpoint({ fullyQualifiedNamespace: producer.fullyQualifiedNamespace, eventHubName: 'telemetry', consumerGroup: 'ingestion', partitionId, sequenceNumber: 0, offset: '0' });
      }
      const hubLag = eventHubLagFromSettings(
        { EventHubConnection: hubConnection, AzureWebJobsStorage: azurite.connectionString, EVENT_HUB_RETENTION_HOURS: String(RETENTION_HOURS) }, 'telemetry', 'ingestion',
      )!;
      const telemetry = createTelemetryMetrics({ app: 'device-status', settings: {} });
      const report = createReportHubLag(() => ({ ops: { eventHub: hubLag }, telemetry, logger: consoleLogger('reportHubLag-spec') }) as unknown as DeviceStatusServices);

      const firstReading = (await report())!;
      expect(firstReading).toMatchObject({ lagTotal: 2, retentionHours: RETENTION_HOURS, retentionSource: 'setting' });
      expect(firstReading.partitions.map((p) => p.lag)).toEqual([1, 1]);
      expect(typeof firstReading.minTimeToDataLossSeconds).toBe('number');

      // Events keep arriving while paused; the oldest unprocessed event only gets older.
      let latest: EventHubLag = firstReading;
      await waitUntil(async () => {
        await producer.sendBatch([{ body: { n: 2 } }], { partitionId: '0' });
        latest = (await report())!;
        return latest.minTimeToDataLossSeconds! < firstReading.minTimeToDataLossSeconds! && dataLossAlertFires(latest, defaultDataLossMarginHours(RETENTION_HOURS));
      }, { timeoutMs: 120_000, intervalMs: 1_000, description: 'time to data loss below the alert margin' });
      expect(latest.partitions[0]!.lag).toBeGreaterThan(1);
      expect(latest.partitions.every((p) => p.oldestUnprocessedTimeUtc === firstReading.partitions.find((q) => q.partitionId === p.partitionId)!.oldestUnprocessedTimeUtc)).toBe(true);
      // Emitted as metrics (the alert's eventhubs.time_to_data_loss, Minimum), per partition.
      const series = telemetry.memory.snapshot().histograms.filter((h) => h.name === 'eventhubs.time_to_data_loss');
      expect(series.map((s) => s.attributes['partition']).sort()).toEqual(['0', '1']);
      expect(Math.min(...series.map((s) => s.min))).toBeLessThan(defaultDataLossMarginHours(RETENTION_HOURS) * 3600);
      await telemetry.shutdown();
      await hubLag.close();
    } finally {
      await producer.close();
    }
  }, 180_000);
});
