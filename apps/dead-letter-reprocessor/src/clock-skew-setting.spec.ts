import { ConfigError } from '@telemetry/core';
import { createReprocessorServices } from './services';

// MAX_CLOCK_SKEW_SECONDS is parsed once, at start, and reaches the apply path (issue 13 item 1).
describe('reprocessor MAX_CLOCK_SKEW_SECONDS', () => {
  const env = {
    COSMOS_ENDPOINT: 'http://127.0.0.1:1/',
    DeadLetterStorage: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;',
  };

  it('defaults to 300 s and takes the configured value', () => {
    expect(createReprocessorServices(env).maxClockSkewSeconds).toBe(300);
    expect(createReprocessorServices({ ...env, MAX_CLOCK_SKEW_SECONDS: '60' }).maxClockSkewSeconds).toBe(60);
  });

  it('MAX_EVENT_AGE_SECONDS: defaults to 10 years, takes the configured value, refuses out-of-range values naming the key', () => {
    expect(createReprocessorServices(env).maxEventAgeSeconds).toBe(315_360_000);
    expect(createReprocessorServices({ ...env, MAX_EVENT_AGE_SECONDS: '86400' }).maxEventAgeSeconds).toBe(86_400);
    for (const bad of ['0', '3599', 'a month']) expect(() => createReprocessorServices({ ...env, MAX_EVENT_AGE_SECONDS: bad })).toThrow(/MAX_EVENT_AGE_SECONDS/);
  });

  it('refuses a malformed or out-of-range value at start, naming the key', () => {
    for (const bad of ['-1', '86401', 'soon']) {
      expect(() => createReprocessorServices({ ...env, MAX_CLOCK_SKEW_SECONDS: bad })).toThrow(ConfigError);
      expect(() => createReprocessorServices({ ...env, MAX_CLOCK_SKEW_SECONDS: bad })).toThrow(/MAX_CLOCK_SKEW_SECONDS/);
    }
  });

  it('store settings are bounded and ordered at start: a typo never reaches the load', () => {
    expect(() => createReprocessorServices({ ...env, STORE_RETRY_BASE_MS: '5000', STORE_RETRY_MAX_MS: '100' })).toThrow(/STORE_RETRY_BASE_MS may not exceed STORE_RETRY_MAX_MS/);
    expect(() => createReprocessorServices({ ...env, STORE_CACHE_SIZE: '100000000' })).toThrow(/STORE_CACHE_SIZE/);
    expect(() => createReprocessorServices({ ...env, STORE_CALL_TIMEOUT_MS: '3600000' })).toThrow(/STORE_CALL_TIMEOUT_MS/);
    expect(() => createReprocessorServices({ ...env, STORE_RETRY_BASE_MS: '100', STORE_RETRY_MAX_MS: '100' })).not.toThrow();
  });
});
