import { benchPurePath } from './pure-path';
import { machineDescription, markdownReport } from './report';

describe('bench report', () => {
  it('renders every row, marks missed targets and lists notes', () => {
    const md = markdownReport(
      [
        { name: 'pure path', value: 300_000, unit: 'events/s', target: '>= 250,000', met: true },
        { name: 'p99', value: 1500, unit: 'ms', target: '< 1,000', met: false, note: 'shared machine' },
      ],
      machineDescription(),
      '2026-11-22T00:00:00Z',
      'npm run bench',
    );
    expect(md).toContain('| pure path | 300000 | events/s | >= 250,000 | yes |');
    expect(md).toContain('| p99 | 1500 | ms | < 1,000 | **no** |');
    expect(md).toContain('- **p99**: shared machine');
    expect(md).toMatch(/cores \d+/);
  });

  it('measures the pure path on real drone events against a bare decode + JSON.parse of the same buffers', () => {
    const r = benchPurePath({ events: 20_000, devices: 100, batchSize: 1000, rounds: 3 });
    expect(r.events).toBe(20_000);
    expect(r.rounds).toHaveLength(3);
    expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(r.bareParseEventsPerSecond).toBeGreaterThan(0);
    // The ratio is the median of the rounds' own ratios.
    const ratios = r.rounds.map((x) => x.pure / x.bare).sort((a, b) => a - b);
    expect(r.ratio).toBe(Math.round(ratios[1]! * 100) / 100);
  });
});
