import { containerFromSettings, CosmosDeviceReader } from '@telemetry/azure-cosmos';
import { eventHubLagFromSettings } from '@telemetry/azure-event-hubs';
import { connectStorage, DeadLetterStatsSource, storageConnectionFromSettings } from '@telemetry/azure-storage-queue';
import { connectTable, ParkedCountSource, tableConnectionFromSettings } from '@telemetry/azure-tables';
import { ConfigError, type Logger } from '@telemetry/core';
import type { DeviceReader, OpsSources } from '@telemetry/device-queries';
import { defineAppServices, type Env } from '@telemetry/function-app-kit';
import { BreakerClient } from '@telemetry/http-adapters';
import { createTelemetryMetrics, type TelemetryMetrics } from '@telemetry/observability';
import { loadDeviceStatusSettings } from './config';

export interface DeviceStatusServices {
  devices: DeviceReader;
  ops: OpsSources;
  breaker?: BreakerClient;
  logger: Logger;
  /** Azure Monitor when configured. */
  telemetry: TelemetryMetrics;
}

/** The composition root: built at host start (registerAppHooks in main.ts), reused by every invocation. */
export const deviceStatusServices = defineAppServices({
  app: 'device-status',
  create: (env, kit) => createDeviceStatusServices(env, kit.logger),
  stop: (s) => s.telemetry.shutdown(),
});

export function createDeviceStatusServices(env: Env, logger: Logger): DeviceStatusServices {
  const settings = loadDeviceStatusSettings(env);
  const devices = new CosmosDeviceReader(containerFromSettings(settings), { callTimeoutMs: settings.COSMOS_CALL_TIMEOUT_MS });
  const storage = storageConnectionFromSettings('DeadLetterStorage', env);
  // The reprocessor's parking table: on ParkedStorage, else the DeadLetterStorage account.
  const parking = tableConnectionFromSettings('ParkedStorage', env) ?? tableConnectionFromSettings('DeadLetterStorage', env);
  if (storage && !parking) throw new ConfigError(['ParkedStorage / DeadLetterStorage: set a connection string or __tableServiceUri for the parking table']);
  const breaker = settings.BREAKER_SUMMARY_URL ? new BreakerClient({ summaryUrl: settings.BREAKER_SUMMARY_URL }) : undefined;
  const ops: OpsSources = {
    devices,
    deadlineMs: settings.OPS_PROBE_TIMEOUT_MS,
    eventHub: eventHubLagFromSettings(env, settings.EventHubName, settings.EventHubConsumerGroup),
    deadLetters: storage ? DeadLetterStatsSource.forQueue(connectStorage(storage).queues, settings.DEAD_LETTER_QUEUE, settings.DEAD_LETTER_SAMPLE) : undefined,
    parked: parking ? new ParkedCountSource(connectTable(parking, settings.PARKING_TABLE)) : undefined,
    breaker,
  };
  return { devices, ops, breaker, logger, telemetry: createTelemetryMetrics({ app: 'device-status', settings, logger }) };
}
