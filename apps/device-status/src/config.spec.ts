import { ConfigError } from '@telemetry/core';
import { deviceStatusSettingsSchema, loadDeviceStatusSettings } from './config';
import { RESOURCE_NAMES } from '@telemetry/contracts';

describe('device-status settings', () => {
  it('defaults, and empty optional settings count as unset', () => {
    const s = loadDeviceStatusSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', BREAKER_SUMMARY_URL: '' });
    expect(s).toMatchObject({ COSMOS_DATABASE: 'telemetry', COSMOS_CONTAINER: 'devices', DEAD_LETTER_QUEUE: RESOURCE_NAMES.deadLetterQueue, DEAD_LETTER_SAMPLE: 32, EventHubConsumerGroup: '$Default', PARKING_TABLE: RESOURCE_NAMES.parkingTable });
    expect(s.BREAKER_SUMMARY_URL).toBeUndefined();
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('names every bad key', () => {
    let error: unknown;
    try {
      loadDeviceStatusSettings({ DEAD_LETTER_SAMPLE: '64', BREAKER_SUMMARY_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['BREAKER_SUMMARY_URL', 'COSMOS_ENDPOINT', 'DEAD_LETTER_SAMPLE']);
  });

  it('holds no key of the breaker: resuming is not this app\'s to do (issue 13 item 6)', () => {
    const keys = Object.keys(deviceStatusSettingsSchema.shape);
    expect(keys.filter((k) => /BREAKER/.test(k))).toEqual(['BREAKER_SUMMARY_URL']);
    expect(keys.filter((k) => /KEY|SECRET|TOKEN/.test(k) && k !== 'COSMOS_KEY')).toEqual([]);
  });
});
