import { RESOURCE_NAMES, poisonQueueName, resourceNameSettings } from './resource-names';

describe('resource names', () => {
  // Deployed resources carry these names: a contract (extend, never rename).
  it('are the names the deployments use', () => {
    expect(RESOURCE_NAMES).toEqual({
      deadLetterQueue: 'telemetry-deadletter',
      claimCheckContainer: 'telemetry-deadletter-bodies',
      parkingTable: 'deadletterparking',
      failureTable: 'failurewindow',
      checkpointContainer: 'azure-webjobs-eventhub',
      cosmosDatabase: 'telemetry',
      cosmosContainer: 'devices',
    });
    expect(poisonQueueName(RESOURCE_NAMES.deadLetterQueue)).toBe('telemetry-deadletter-poison');
  });

  it('are the settings defaults, and a table name must be one', () => {
    expect(resourceNameSettings.PARKING_TABLE.parse(undefined)).toBe(RESOURCE_NAMES.parkingTable);
    expect(resourceNameSettings.FAILURE_TABLE.parse(undefined)).toBe(RESOURCE_NAMES.failureTable);
    expect(resourceNameSettings.PARKING_TABLE.safeParse('bad-name').success).toBe(false);
  });
});
