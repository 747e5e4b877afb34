import * as z from '@telemetry/core/zod';

/**
 * Default names of the resources apps share. Settings override them (the setting named beside
 * each); the Bicep modules and the local stack create them under these names. Declared only here:
 * a test (tools/deploy-checks) fails when one of these literals appears anywhere else in sources.
 */
export const RESOURCE_NAMES = {
  /** DEAD_LETTER_QUEUE: the dead-letter queue ingestion writes and the reprocessor triggers on. */
  deadLetterQueue: 'telemetry-deadletter',
  /** CLAIM_CHECK_CONTAINER: blobs of dead letters too big for a queue message. */
  claimCheckContainer: 'telemetry-deadletter-bodies',
  /** PARKING_TABLE: parked dead letters (PartitionKey = issue code, RowKey = dead-letter id). */
  parkingTable: 'deadletterparking',
  /** FAILURE_TABLE: the shared rolling failure window the breaker reads. */
  failureTable: 'failurewindow',
  /** Fixed by the Functions host: the blob container of Event Hubs checkpoints (AzureWebJobsStorage). */
  checkpointContainer: 'azure-webjobs-eventhub',
  /** COSMOS_DATABASE / COSMOS_CONTAINER: where device documents live. */
  cosmosDatabase: 'telemetry',
  cosmosContainer: 'devices',
} as const;

/** The queue the Functions host moves a message to after maxDequeueCount failures. */
export function poisonQueueName(queue: string): string {
  return `${queue}-poison`;
}

/**
 * Every queue that can hold a dead letter: the dead-letter queue, its `-poison` queue, and that
 * queue's own poison queue (`-poison-poison`: where the host moves a poison copy the poison handler
 * failed on). Operator tools and the ops summary read all of them.
 */
export function letterQueueNames(queue: string): { pending: string; poison: string; poisonPoison: string } {
  return { pending: queue, poison: poisonQueueName(queue), poisonPoison: poisonQueueName(poisonQueueName(queue)) };
}

const tableNameSchema = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'a table name: a letter, then 2-62 letters or digits'));

/**
 * The settings that name those resources, one definition for every app that reads them (the same
 * setting means the same resource in every app).
 */
export const resourceNameSettings = {
  DEAD_LETTER_QUEUE: z._default(z.string().check(z.minLength(3)), RESOURCE_NAMES.deadLetterQueue),
  CLAIM_CHECK_CONTAINER: z._default(z.string().check(z.minLength(3)), RESOURCE_NAMES.claimCheckContainer),
  PARKING_TABLE: z._default(tableNameSchema, RESOURCE_NAMES.parkingTable),
  FAILURE_TABLE: z._default(tableNameSchema, RESOURCE_NAMES.failureTable),
};
