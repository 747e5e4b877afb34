import { appendFile, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { message } from 'rhea';
import { parseEvent } from '../amqp/incoming-events';
import { Partition, type PartitionOptions } from './partition';

const options: PartitionOptions = { segmentBytes: 4096, fsync: false, cacheBytes: 1024 * 1024, readChunkBytes: 64 * 1024 };

function event(body: string): ReturnType<typeof parseEvent> {
  return parseEvent(message.encode({ body: message.data_section(Buffer.from(body)), message_annotations: {} }));
}

async function bodies(partition: Partition, from: number, count: number): Promise<string[]> {
  const read = await partition.read(from, count);
  return read.map((m) => message.decode(m.bytes).body.content.toString());
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.seg')).sort();
}

describe('Partition on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'eh-partition-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged event across a reopen and continues the sequence numbers', async () => {
    const first = await Partition.open('0', dir, options);
    for (let i = 0; i < 100; i++) await first.append([event(`e${i}`)]);
    const before = first.properties();
    await first.close();
    expect((await segmentFiles(dir)).length).toBeGreaterThan(1); // rolled over 4 KB segments

    const reopened = await Partition.open('0', dir, options);
    expect(reopened.properties()).toEqual(before);
    expect(await bodies(reopened, 0, 3)).toEqual(['e0', 'e1', 'e2']);
    expect(await bodies(reopened, 97, 10)).toEqual(['e97', 'e98', 'e99']);
    await reopened.append([event('e100')]);
    expect(reopened.properties().lastEnqueuedSequenceNumber).toBe(100);
    expect(reopened.resolve({ kind: 'offset', offset: before.lastEnqueuedOffset, inclusive: false })).toBe(100);
    await reopened.close();
  });

  it('drops a torn tail record on open (truncating the file)', async () => {
    const partition = await Partition.open('0', dir, { ...options, segmentBytes: 1 << 20 });
    await partition.append([event('a'), event('b')]);
    await partition.append([event('c')]);
    await partition.close();
    const [file] = await segmentFiles(dir);
    const full = path.join(dir, file as string);
    const size = (await stat(full)).size;
    await truncate(full, size - 5); // a write cut short by a crash

    const warnings: string[] = [];
    const reopened = await Partition.open('0', dir, { ...options, segmentBytes: 1 << 20, onWarning: (m) => warnings.push(m) });
    expect(reopened.properties().lastEnqueuedSequenceNumber).toBe(1);
    expect(await bodies(reopened, 0, 10)).toEqual(['a', 'b']);
    expect(warnings).toContain('torn or corrupt tail dropped');
    await reopened.append([event('c2')]);
    expect(await bodies(reopened, 2, 1)).toEqual(['c2']);
    await reopened.close();
    const again = await Partition.open('0', dir, options);
    expect(await bodies(again, 0, 10)).toEqual(['a', 'b', 'c2']);
    await again.close();
  });

  it('drops a record whose CRC does not match (garbage appended after the last record)', async () => {
    const partition = await Partition.open('0', dir, options);
    await partition.append([event('x')]);
    await partition.close();
    const [file] = await segmentFiles(dir);
    const garbage = Buffer.alloc(40, 0x11);
    garbage.writeUInt32LE(32, 0);
    await appendFile(path.join(dir, file as string), garbage);
    const reopened = await Partition.open('0', dir, options);
    expect(reopened.properties().lastEnqueuedSequenceNumber).toBe(0);
    await reopened.close();
  });

  it('size retention drops old segments and moves the beginning sequence number', async () => {
    const partition = await Partition.open('0', dir, options);
    for (let i = 0; i < 200; i++) await partition.append([event(`r${i}`)]);
    expect(partition.beginSequence).toBe(0);
    await partition.applyRetention(Date.now(), undefined, 8192);
    const begin = partition.properties().beginningSequenceNumber;
    expect(begin).toBeGreaterThan(0);
    expect(partition.storedBytes).toBeLessThanOrEqual(8192 + options.segmentBytes);
    expect(await bodies(partition, 0, 1)).toEqual([`r${begin}`]); // reads clamp to what is left
    expect(partition.resolve({ kind: 'earliest' })).toBe(begin);
    await partition.close();
    const reopened = await Partition.open('0', dir, options);
    expect(reopened.properties().beginningSequenceNumber).toBe(begin);
    expect(reopened.properties().lastEnqueuedSequenceNumber).toBe(199);
    await reopened.close();
  });

  it('time retention drops everything older than the cutoff but keeps the position', async () => {
    const partition = await Partition.open('0', dir, options);
    for (let i = 0; i < 50; i++) await partition.append([event(`t${i}`)]);
    await partition.applyRetention(Date.now() + 60_000, 1000, undefined);
    expect(partition.properties()).toMatchObject({ isEmpty: true, lastEnqueuedSequenceNumber: 49 });
    await partition.append([event('t50')]);
    expect(partition.properties()).toMatchObject({ beginningSequenceNumber: 50, lastEnqueuedSequenceNumber: 50 });
    await partition.close();
    const reopened = await Partition.open('0', dir, options);
    expect(reopened.properties()).toMatchObject({ beginningSequenceNumber: 50, lastEnqueuedSequenceNumber: 50 });
    await reopened.close();
  });
});
