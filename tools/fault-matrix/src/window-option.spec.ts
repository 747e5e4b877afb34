import { InvalidArgumentError } from 'commander';
import { matrixIngestionSettings } from './matrix-stack';
import { formatMatrixMarkdown, type MatrixRunInfo } from './report';
import { mergeWindowConflict, windowOf, windowOption } from './window-option';

const info = (more: Partial<MatrixRunInfo> = {}): MatrixRunInfo => ({
  size: 3000, outageSeconds: 15, startedAt: 't0', finishedAt: 't1', loadAverage: { start: 1, end: 2 }, cpus: 2, node: 'v22', ...more,
});

describe('--window (the ingestion window every scenario of a matrix run runs with)', () => {
  it('takes what the app takes (0 .. 60 s, fractions too) and refuses the rest as an argument error naming the flag', () => {
    expect(windowOption('0')).toBe(0);
    expect(windowOption('4.5')).toBe(4.5);
    expect(windowOption('60')).toBe(60);
    for (const bad of ['-1', '61', 'soon', '', 'NaN']) {
      expect(() => windowOption(bad)).toThrow(InvalidArgumentError);
      expect(() => windowOption(bad)).toThrow(/^ingestion window must be/);
    }
  });

  it("reaches ingestion's app settings as INGESTION_WINDOW_SECONDS; 0 (the default) leaves them as before", () => {
    expect(matrixIngestionSettings()).toEqual({});
    expect(matrixIngestionSettings(0)).toEqual({});
    expect(matrixIngestionSettings(4.5)).toEqual({ INGESTION_WINDOW_SECONDS: '4.5' });
    expect(() => matrixIngestionSettings(90)).toThrow('between 0 and 60 s');
  });

  it('the report names a windowed run in its title and header; a run without one reads as before', () => {
    const plain = formatMatrixMarkdown([], info());
    expect(plain.split('\n')[0]).toBe('# Fault matrix');
    expect(plain).not.toMatch(/ingestion window/);
    expect(formatMatrixMarkdown([], info({ windowSeconds: 0 }))).toBe(plain);
    const windowed = formatMatrixMarkdown([], info({ windowSeconds: 4.5 }));
    expect(windowed.split('\n')[0]).toBe('# Fault matrix (ingestion window 4.5 s)');
    expect(windowed).toContain('every scenario with the **ingestion window at 4.5 s** (`--window 4.5`');
  });

  it('--merge keeps one window per report: a report from before the option counts as window 0', () => {
    expect(windowOf({})).toBe(0);
    expect(mergeWindowConflict({}, 0)).toBeUndefined();
    expect(mergeWindowConflict({ windowSeconds: 4.5 }, 4.5)).toBeUndefined();
    expect(mergeWindowConflict({}, 4.5)).toBe('--merge: the existing report ran with no ingestion window, this run with an ingestion window of 4.5 s; write it elsewhere (--out) or run with --window 0');
    expect(mergeWindowConflict({ windowSeconds: 4.5 }, 0)).toMatch(/ran with an ingestion window of 4.5 s, this run with no ingestion window/);
  });
});
