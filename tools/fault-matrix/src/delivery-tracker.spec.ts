import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeliveryJournalRecord } from '@telemetry/local-host';
import { DeliveryTracker } from './delivery-tracker';

const line = (r: DeliveryJournalRecord): string => `${JSON.stringify(r)}\n`;
const start = (inv: string, p: string, seq: [number, number][], retry = 0): string => line({ k: 'start', t: 1, fn: 'ingest', inv, p, seq, retry });
const end = (inv: string, ok = true): string => line({ k: 'end', t: 2, inv, ok });

describe('DeliveryTracker (exact deliveries from the hosts\' journals)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'delivery-tracker-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('counts each event once per invocation across hosts, kills and retries; what came before start is not counted', async () => {
    const first = path.join(dir, 'ingest.100.1.ndjson');
    await writeFile(first, start('old', '0', [[0, 9]]) + end('old'));
    const tracker = new DeliveryTracker(dir);
    await tracker.start();
    // Host 100 completes 10..19, then is killed inside 20..29 (a start, no end), with a torn line at the end.
    await appendFile(first, start('a', '0', [[10, 19]]) + end('a') + start('b', '0', [[20, 29]]) + '{"k":"st');
    // Host 200 takes over: 20..29 again (a retry after a throw), and partition 1.
    const second = path.join(dir, 'ingest.200.2.ndjson');
    await writeFile(second, line({ k: 'open', t: 3, fn: 'ingest', p: '0' }) + start('c', '0', [[20, 29]]) + end('c', false) + start('d', '0', [[20, 29]], 1) + end('d') + start('e', '1', [[0, 4], [6, 6]]) + end('e'));
    await tracker.refresh();
    expect(tracker.counts()).toEqual({
      invocations: 5, deliveries: 10 + 10 + 10 + 10 + 6, distinctEvents: 10 + 10 + 6, duplicates: 20, redeliveredEvents: 10,
      retries: 1, failedInvocations: 1, unfinishedInvocations: 1, partitionOpens: 1, receiveErrors: 0,
    });
    expect(tracker.list(100).filter((i) => !i.ended)).toEqual([expect.objectContaining({ inv: 'b', partitionId: '0', seq: [[20, 29]] })]);
    expect(tracker.deliveriesOf('0', 25)).toBe(3);
    expect(tracker.deliveriesOf('0', 5)).toBe(0);
    // The torn line completes later and is read then.
    await appendFile(first, 'art","t":5,"fn":"ingest","inv":"f","p":"1","seq":[[5,5]],"retry":0}\n');
    await tracker.refresh();
    expect(tracker.counts()).toMatchObject({ invocations: 6, deliveries: 47, distinctEvents: 27, duplicates: 20 });
  });
});
