import { AppSettings } from './app-settings';
import { parseHostJson } from './host-json';

describe('AppSettings', () => {
  const settings = new AppSettings({ HUB: 'telemetry', CG: 'ingest', 'AzureWebJobs.a.Disabled': 'true', AzureWebJobs_b_Disabled: '1', AzureWebJobs_c_Disabled: 'false' });

  it('resolves %NAME% placeholders and names a missing setting', () => {
    expect(settings.resolve('%HUB%', 'fn')).toBe('telemetry');
    expect(settings.resolve('%HUB%-%CG%', 'fn')).toBe('telemetry-ingest');
    expect(settings.resolve('plain', 'fn')).toBe('plain');
    expect(() => settings.resolve('%NOPE%', 'fn')).toThrow(/setting "NOPE" \(used by fn\)/);
  });

  it('reads both Disabled setting forms', () => {
    expect(settings.isDisabled('a')).toBe(true);
    expect(settings.isDisabled('b')).toBe(true);
    expect(settings.isDisabled('c')).toBe(false);
    expect(settings.isDisabled('d')).toBe(false);
  });
});

describe('parseHostJson', () => {
  it('fills the host defaults', () => {
    const { extensions } = parseHostJson({ version: '2.0' });
    expect(extensions.eventHubs).toMatchObject({ maxEventBatchSize: 100, prefetchCount: 300, batchCheckpointFrequency: 1, initialOffsetOptions: { type: 'fromStart' } });
    expect(extensions.queues).toMatchObject({ batchSize: 16, maxDequeueCount: 5, messageEncoding: 'base64', maxPollingInterval: '00:00:02' });
    expect(extensions.http.routePrefix).toBe('api');
  });

  it('names every bad key', () => {
    expect(() => parseHostJson({ extensions: { queues: { batchSize: 64, messageEncoding: 'utf8' } } })).toThrow(/queues\.batchSize.*queues\.messageEncoding/);
  });
});
