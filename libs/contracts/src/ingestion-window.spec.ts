import { ingestionWindowAppSettings, INGESTION_WINDOW_BATCH_SIZE, parseIngestionWindow, timeSpanOf } from './ingestion-window';

describe('the ingestion window knob', () => {
  it('0 leaves host.json as shipped; a window becomes maxWaitTime with a count-bounded batch', () => {
    expect(ingestionWindowAppSettings(0)).toEqual({});
    expect(ingestionWindowAppSettings(5)).toEqual({
      AzureFunctionsJobHost__extensions__eventHubs__maxWaitTime: '00:00:05',
      AzureFunctionsJobHost__extensions__eventHubs__minEventBatchSize: String(INGESTION_WINDOW_BATCH_SIZE),
      AzureFunctionsJobHost__extensions__eventHubs__maxEventBatchSize: String(INGESTION_WINDOW_BATCH_SIZE),
    });
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
