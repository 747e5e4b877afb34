import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@telemetry/core';
import { HOST_MAX_DEQUEUE_COUNT, loadReprocessorSettings } from './config';
import { createReprocessorServices } from './services';
import { RESOURCE_NAMES } from '@telemetry/contracts';

describe('reprocessor settings', () => {
  it('defaults everything but the Cosmos endpoint', () => {
    expect(loadReprocessorSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/' })).toMatchObject({
      DEAD_LETTER_QUEUE: RESOURCE_NAMES.deadLetterQueue, CLAIM_CHECK_CONTAINER: RESOURCE_NAMES.claimCheckContainer, PARKING_TABLE: RESOURCE_NAMES.parkingTable,
      REPROCESS_MAX_ATTEMPTS: 8, REPROCESS_UNKNOWN_MAX_ATTEMPTS: 3, BREAKER_DEFER_SECONDS: 60,
    });
  });

  it('fails fast naming every bad key, never its value', () => {
    try {
      loadReprocessorSettings({ COSMOS_ENDPOINT: 'nope', PARKING_TABLE: 'bad-name', REPROCESS_MAX_ATTEMPTS: '0', BREAKER_STATUS_URL: 'secret-ish' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const key of ['COSMOS_ENDPOINT', 'PARKING_TABLE', 'REPROCESS_MAX_ATTEMPTS', 'BREAKER_STATUS_URL']) expect(problems).toContain(key);
      expect(problems).not.toContain('secret-ish');
    }
  });

  it('needs the DeadLetterStorage connection', () => {
    expect(() => createReprocessorServices({ COSMOS_ENDPOINT: 'http://127.0.0.1:1/' })).toThrow(/DeadLetterStorage/);
  });

  it('the poison reason quotes host.json maxDequeueCount', () => {
    const hostJson = JSON.parse(readFileSync(path.join(__dirname, '..', 'host.json'), 'utf8')) as { extensions: { queues: { maxDequeueCount: number } } };
    expect(hostJson.extensions.queues.maxDequeueCount).toBe(HOST_MAX_DEQUEUE_COUNT);
  });
});
