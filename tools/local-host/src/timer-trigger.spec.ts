import { ContainerClient } from '@azure/storage-blob';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture, readRecords, recordFile } from './testing/records';

interface TimerRecord {
  fn: string;
  timer: { isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: unknown };
  start: number;
  end: number;
}

describe('timer trigger (spawned host)', () => {
  let host: SpawnedHost;
  const records = recordFile('timer');
  const of = (fn: string): TimerRecord[] => readRecords<TimerRecord>(records).filter((r) => r.fn === fn);

  beforeAll(async () => {
    host = await spawnHost({ app: fixture('timer-app/main.ts'), settings: { TICK_SCHEDULE: '*/1 * * * * *', RECORD_FILE: records } });
  });
  afterAll(async () => host?.stop());

  it('runOnStartup fires a yearly timer once at start with the camel-cased timer argument', async () => {
    await waitUntil(() => of('startup').length > 0, { timeoutMs: 60_000, description: 'startup run' });
    const [startup] = of('startup');
    expect(startup!.timer).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
    // Next is the 1 January (00:00, the machine's zone is UTC) after the last run, whatever the year.
    const { last } = startup!.timer.scheduleStatus as { last: string };
    expect(startup!.timer.scheduleStatus).toMatchObject({ last: expect.any(String), next: new Date(Date.UTC(new Date(last).getUTCFullYear() + 1, 0, 1)).toISOString() });
  });

  it('an every-second NCRONTAB schedule (%TICK_SCHEDULE%) fires, and runs of one timer never overlap', async () => {
    await waitUntil(() => of('tick').length >= 3, { timeoutMs: 60_000, description: '3 ticks' });
    const ticks = of('tick');
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.start).toBeGreaterThanOrEqual(ticks[i - 1]!.end);
    // Sub-minute schedules default to useMonitor false: no schedule status.
    expect(ticks[0]!.timer.scheduleStatus).toBeNull();
    expect(of('startup')).toHaveLength(1);
  });
});

// The extension's schedule monitor (StorageScheduleMonitor + ScheduleMonitor.CheckPastDueAsync):
// status blobs in azure-webjobs-hosts/timers/{hostId}/Host.Functions.{name}/status.
describe('timer schedule monitor (Azurite, spawned host)', () => {
  let azurite: AzuriteInstance;
  let host: SpawnedHost;
  const records = recordFile('timer-monitor');
  const of = (fn: string): TimerRecord[] => readRecords<TimerRecord>(records).filter((r) => r.fn === fn);
  const status = (name: string) => new ContainerClient(azurite.connectionString, 'azure-webjobs-hosts').getBlockBlobClient(`timers/monitor-host/Host.Functions.${name}/status`);
  const missed = { Last: '2020-01-01T03:00:00.000Z', Next: '2020-01-02T03:00:00.000Z', LastUpdated: '2020-01-01T03:00:01.000Z' };

  beforeAll(async () => {
    azurite = await startAzurite();
    await new ContainerClient(azurite.connectionString, 'azure-webjobs-hosts').createIfNotExists();
    // The daily timer last ran on 1 January 2020: its 2 January occurrence was missed.
    await status('daily').upload(JSON.stringify(missed), JSON.stringify(missed).length);
    host = await spawnHost({
      app: fixture('timer-app/main.ts'),
      settings: { TICK_SCHEDULE: '0 0 0 1 1 *', RECORD_FILE: records, AzureWebJobsStorage: azurite.connectionString, AzureFunctionsWebHost__hostid: 'monitor-host' },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('a missed occurrence runs at start with isPastDue and the recorded status; the status then moves on', async () => {
    await waitUntil(() => of('daily').length > 0, { timeoutMs: 60_000, description: 'past-due run' });
    const [daily] = of('daily');
    expect(daily!.timer).toMatchObject({ isPastDue: true, scheduleStatus: { last: missed.Last, next: missed.Next } });
    await waitUntil(async () => Date.parse((JSON.parse((await status('daily').downloadToBuffer()).toString()) as { Last: string }).Last) > Date.parse(missed.Last), {
      timeoutMs: 60_000,
      description: 'status updated after the run',
    });
    const after = JSON.parse((await status('daily').downloadToBuffer()).toString()) as { Last: string; Next: string };
    expect(Date.parse(after.Next)).toBeGreaterThan(Date.now());
    expect(new Date(after.Next).getUTCHours()).toBe(3);
  });

  it('a timer without a recorded status gets one and is not past due (runOnStartup still runs it once)', async () => {
    await waitUntil(() => of('startup').length > 0, { timeoutMs: 60_000, description: 'startup run' });
    expect(of('startup')[0]!.timer.isPastDue).toBe(false);
    const recorded = JSON.parse((await status('startup').downloadToBuffer()).toString()) as { Next: string };
    expect(new Date(recorded.Next).getUTCMonth()).toBe(0);
    expect(of('daily')).toHaveLength(1);
  });
});
