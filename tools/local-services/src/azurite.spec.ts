import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from './azurite';

const table = (a: AzuriteInstance): TableClient => TableClient.fromConnectionString(a.connectionString, 'parked', { allowInsecureConnection: true });

/** Writes an entity, stops Azurite gracefully, starts it again on the same folder and ports: is the entity back? */
async function survivesRestart(dir: string, inMemory: boolean): Promise<{ back: boolean; files: string[] }> {
  const first = await startAzurite({ location: dir, inMemory });
  let again: AzuriteInstance | undefined;
  try {
    await table(first).createTable();
    await table(first).createEntity({ partitionKey: 'p', rowKey: 'r', note: 'kept?' });
    await first.stop();
    again = await startAzurite({ location: dir, inMemory, ports: { blob: first.blobPort, queue: first.queuePort, table: first.tablePort } });
    const back = await table(again).getEntity<{ note: string }>('p', 'r').then((e) => e.note === 'kept?', (error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
      return false;
    });
    return { back, files: await readdir(dir) };
  } finally {
    await first.stop();
    await again?.stop();
  }
}

describe('Azurite persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'azurite-persistence-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('on disk (default): data survives a stop and start on the same folder, in its table database file', async () => {
    const { back, files } = await survivesRestart(dir, false);
    expect(back).toBe(true);
    expect(files).toContain('__azurite_db_table__.json');
  });

  it('in memory: nothing is written (no table database to autosave), and a restart comes back empty', async () => {
    const { back, files } = await survivesRestart(dir, true);
    expect(back).toBe(false);
    expect(files.filter((f) => f.startsWith('__azurite_db_'))).toEqual([]);
  });
});
