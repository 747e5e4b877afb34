import { formatProgressLine, progressReporter } from './progress-reporter';

describe('start-up progress lines', () => {
  it('one line per step as it becomes ready, with its time since the start, its URL and inspector', () => {
    const lines: string[] = [];
    let now = 1000;
    const report = progressReporter((l) => lines.push(l), 1000, () => now);
    now = 3400;
    report({ name: 'Azurite', kind: 'service' });
    now = 12_050;
    report({ name: 'ingestion', kind: 'app', url: 'http://127.0.0.1:40001', inspector: '127.0.0.1:40002' });
    expect(lines).toEqual([
      `  ready ${'Azurite'.padEnd(24)}    2.4 s`,
      `  ready ${'ingestion'.padEnd(24)}   11.1 s  http://127.0.0.1:40001  (inspector 127.0.0.1:40002)`,
    ]);
  });

  it('formats a step without a URL', () => {
    expect(formatProgressLine({ name: 'provisioning', kind: 'provision' }, 61_234)).toMatch(/^ {2}ready provisioning\s+61\.2 s$/);
  });
});
