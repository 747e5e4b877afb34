import { ingestionWindowAppSettings, parseIngestionWindow, timeSpanOf, windowWritesPerEvent } from './ingestion-window';

describe('the ingestion window knob', () => {
  it('0 sets nothing; a window is one setting of the ingestion app, and leaves the trigger batching as shipped', () => {
    expect(ingestionWindowAppSettings(0)).toEqual({});
    expect(ingestionWindowAppSettings(4.5)).toEqual({ INGESTION_WINDOW_SECONDS: '4.5' });
    expect(() => ingestionWindowAppSettings(90)).toThrow('between 0 and 60 s');
  });

  it('costs one write per first event and the events that arrive within the window after it (hand-checked)', () => {
    expect(windowWritesPerEvent(0, 1)).toBe(1);
    expect(windowWritesPerEvent(4, 1)).toBeCloseTo(0.2, 10); // 1 / (1 + 4)
    expect(windowWritesPerEvent(4.5, 1, 0.1)).toBeCloseTo(1 / 5.4, 10);
    expect(windowWritesPerEvent(10, 0.1)).toBeCloseTo(0.5, 10); // one event in 10 s: 1 / (1 + 1)
  });

  it('writes TimeSpans as host.json does', () => {
    expect([timeSpanOf(0.5), timeSpanOf(1), timeSpanOf(10), timeSpanOf(60), timeSpanOf(2.25)]).toEqual(['00:00:00.500', '00:00:01', '00:00:10', '00:01:00', '00:00:02.250']);
  });

  it('refuses what is not a window, naming the value', () => {
    expect(parseIngestionWindow('2.5')).toBe(2.5);
    expect(() => parseIngestionWindow('soon')).toThrow('must be a number of seconds, got "soon"');
    expect(() => parseIngestionWindow('')).toThrow('must be a number');
    expect(() => parseIngestionWindow(-1)).toThrow('between 0 and 60 s, got -1');
    expect(() => parseIngestionWindow(61)).toThrow('got 61');
  });
});
