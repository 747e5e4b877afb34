import path from 'node:path';
import type { StackDescriptor } from '@telemetry/contracts';

export interface StackSettingsInput {
  descriptor: Omit<StackDescriptor, 'apps'>;
  /** Base URLs of every app host, decided before they start (ports picked up front). */
  baseUrls: Record<string, string>;
  masterKey: string;
  /** The breaker's key scoped to its status function (the reprocessor's status reads). */
  breakerStatusKey: string;
  approvalSigningKey: string;
  webhookUrl?: string;
}

/**
 * The app settings every local app gets: one superset, as each app's config schema takes what it
 * reads and ignores the rest. Names match the Azure app settings (see infra/), values point at the
 * local stack; in Azure connections are identity-based instead of connection strings.
 */
export function stackAppSettings(input: StackSettingsInput): Record<string, string> {
  const { descriptor: d, baseUrls } = input;
  const settings: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: d.storage.connectionString,
    EventHubConnection: d.eventHubs.connectionString,
    EventHubName: d.eventHubs.hubName,
    EventHubConsumerGroup: d.eventHubs.consumerGroup,
    COSMOS_ENDPOINT: d.cosmos.endpoint,
    COSMOS_KEY: d.cosmos.key,
    COSMOS_DATABASE: d.cosmos.database,
    COSMOS_CONTAINER: d.cosmos.container,
    DeadLetterStorage: d.storage.connectionString,
    DEAD_LETTER_QUEUE: d.queues.deadLetter,
    CLAIM_CHECK_CONTAINER: d.queues.claimCheckContainer,
    PARKING_TABLE: d.queues.parkingTable,
    FailureTracking: d.storage.connectionString,
    // The breaker pauses ingestion through an HTTP control endpoint: here the local host's admin
    // API (`POST /admin/functions/{name}/pause|resume`, master key); in Azure it uses ARM.
    BREAKER_SWITCH: 'http',
    // What the switch paused, shared by every host of the stack (tools/local-host switch-file.ts),
    // as the ARM switch's app setting holds for every instance and outlives a restart.
    LOCAL_HOST_SWITCH_FILE: path.join(d.dataDir, 'switch.json'),
    APPROVAL_SIGNING_KEY: input.approvalSigningKey,
    LOCAL_HOST_MASTER_KEY: input.masterKey,
    INGESTION_SWITCH_KEY: input.masterKey,
  };
  if (baseUrls['ingestion']) settings['INGESTION_SWITCH_URL'] = `${baseUrls['ingestion']}/admin/functions`;
  if (baseUrls['circuit-breaker']) {
    settings['PUBLIC_BASE_URL'] = baseUrls['circuit-breaker'];
    // device-status reads the breaker's anonymous summary with no key; only the reprocessor holds
    // a breaker key (BREAKER_STATUS_KEY), scoped to GET /api/breaker alone: it cannot trip.
    settings['BREAKER_SUMMARY_URL'] = `${baseUrls['circuit-breaker']}/api/breaker/summary`;
    settings['BREAKER_STATUS_URL'] = `${baseUrls['circuit-breaker']}/api/breaker`;
    settings['BREAKER_STATUS_KEY'] = input.breakerStatusKey;
  }
  if (input.webhookUrl) settings['BREAKER_WEBHOOK_URL'] = input.webhookUrl;
  if (d.mail) {
    // Operator e-mail over SMTP to the stack's MailDev (in Azure: ACS Email with the managed identity).
    settings['BREAKER_EMAIL_TRANSPORT'] = 'smtp';
    settings['SMTP_HOST'] = d.mail.smtpHost;
    settings['SMTP_PORT'] = String(d.mail.smtpPort);
    settings['BREAKER_EMAIL_FROM'] = d.mail.from;
    settings['BREAKER_EMAIL_TO'] = d.mail.to;
  }
  return settings;
}
