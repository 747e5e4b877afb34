import { ConfigError } from '@telemetry/core';
import { loadDeviceStatusSettings } from './config';
import { RESOURCE_NAMES } from '@telemetry/contracts';

describe('device-status settings', () => {
  it('defaults, and empty optional settings count as unset', () => {
    const s = loadDeviceStatusSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', BREAKER_STATUS_KEY: '', BREAKER_STATUS_URL: '' });
    expect(s).toMatchObject({ COSMOS_DATABASE: 'telemetry', COSMOS_CONTAINER: 'devices', DEAD_LETTER_QUEUE: RESOURCE_NAMES.deadLetterQueue, DEAD_LETTER_SAMPLE: 32, EventHubConsumerGroup: '$Default', PARKING_TABLE: RESOURCE_NAMES.parkingTable });
    expect(s.BREAKER_STATUS_KEY).toBeUndefined();
    expect(s.BREAKER_STATUS_URL).toBeUndefined();
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('names every bad key', () => {
    let error: unknown;
    try {
      loadDeviceStatusSettings({ DEAD_LETTER_SAMPLE: '64', BREAKER_STATUS_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['BREAKER_STATUS_URL', 'COSMOS_ENDPOINT', 'DEAD_LETTER_SAMPLE']);
  });
});
