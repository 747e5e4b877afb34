import { applyHostJsonOverrides } from './host-json-overrides';
import { parseHostJson } from './host-json';

describe('host.json values overridden by app settings (AzureFunctionsJobHost__path__to__setting)', () => {
  const hostJson = { version: '2.0', extensions: { eventHubs: { maxEventBatchSize: 100, minEventBatchSize: 1, maxWaitTime: '00:00:01' } } };

  it('replaces the value at the path, binding numbers and booleans, whatever the case of the segments', () => {
    const out = parseHostJson(applyHostJsonOverrides(hostJson, {
      AzureFunctionsJobHost__extensions__eventHubs__maxWaitTime: '00:00:05',
      azurefunctionsjobhost__Extensions__EVENTHUBS__minEventBatchSize: '200',
      AzureFunctionsJobHost__extensions__eventHubs__maxEventBatchSize: '200',
      AzureFunctionsJobHost__extensions__queues__batchSize: '8',
      OTHER_SETTING: '1',
    }));
    expect(out.extensions.eventHubs).toMatchObject({ maxWaitTime: '00:00:05', minEventBatchSize: 200, maxEventBatchSize: 200 });
    expect(out.extensions.queues.batchSize).toBe(8);
    // The file's own object is untouched.
    expect(hostJson.extensions.eventHubs.maxEventBatchSize).toBe(100);
  });

  it('creates sections host.json does not have, and an override the schema rejects fails start-up naming the key', () => {
    expect(applyHostJsonOverrides({}, { AzureFunctionsJobHost__logging__logLevel__default: 'Warning', AzureFunctionsJobHost__x__on: 'true' }))
      .toEqual({ logging: { logLevel: { default: 'Warning' } }, x: { on: true } });
    expect(() => parseHostJson(applyHostJsonOverrides(hostJson, { AzureFunctionsJobHost__extensions__eventHubs__maxEventBatchSize: 'many' })))
      .toThrow(/extensions\.eventHubs\.maxEventBatchSize/);
  });
});
