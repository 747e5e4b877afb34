import { waitUntil } from '@telemetry/local-services';
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
