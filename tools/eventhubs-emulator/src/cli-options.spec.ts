import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCliOptions, SAS_KEY_ENV } from './cli-options';
import { resolveConfig } from './config';

describe('CLI options and config', () => {
  it('parses repeatable hubs with consumer groups, SAS and retention flags', () => {
    const options = parseCliOptions(['--port', '0', '--data', '/tmp/x', '--hub', 'telemetry:4', '--hub', 'alerts:2:ingest,audit', '--sas-key-name', 'root', '--retention-hours', '2', '--retention-mb', '10'], { [SAS_KEY_ENV]: 'k' });
    expect(options).toEqual({
      port: 0,
      dataDir: '/tmp/x',
      hubs: [{ name: 'telemetry', partitions: 4, consumerGroups: [] }, { name: 'alerts', partitions: 2, consumerGroups: ['ingest', 'audit'] }],
      sas: { keyName: 'root', key: 'k' },
      retentionHours: 2,
      retentionMb: 10,
    });
    expect(resolveConfig(options).hubs[1]?.consumerGroups).toEqual(['$Default', 'ingest', 'audit']);
  });

  it('takes the SAS key from the environment, never from a flag (argv is world-readable in /proc)', () => {
    expect(() => parseCliOptions(['--hub', 'h:1', '--sas-key-name', 'root', '--sas-key', 'k'])).toThrow(/sas-key/);
    expect(() => parseCliOptions(['--hub', 'h:1', '--sas-key-name', 'root'])).toThrow(/go together/);
    expect(parseCliOptions(['--hub', 'h:1', '--sas-key-name', 'root'], { [SAS_KEY_ENV]: 'k' }).sas).toEqual({ keyName: 'root', key: 'k' });
  });

  it('reads a config file, lets flags override it, and names every bad key', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'eh-config-'));
    try {
      const good = path.join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ port: 5672, hubs: [{ name: 'telemetry', partitions: 2 }], retentionHours: 1 }));
      expect(parseCliOptions(['--config', good, '--port', '0'])).toEqual({ port: 0, hubs: [{ name: 'telemetry', partitions: 2, consumerGroups: [] }], retentionHours: 1 });
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ hubs: [{ name: 'x', partitions: 0 }], colour: 'red' }));
      expect(() => parseCliOptions(['--config', bad])).toThrow(/hubs\.0\.partitions[\s\S]*colour|colour[\s\S]*hubs\.0\.partitions/);
      expect(() => resolveConfig({ hubs: [] })).toThrow(/at least one hub/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
