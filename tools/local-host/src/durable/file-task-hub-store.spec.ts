import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileTaskHubStore } from './file-task-hub-store';
import { documentKey } from './task-hub-store';

describe('FileTaskHubStore', () => {
  it('keeps documents per hub across store instances (a restart) and deletes them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'task-hub-'));
    const first = new FileTaskHubStore(dir, 'HubA');
    await first.open();
    await first.put(documentKey('instances', 'a/b?c'), { instanceId: 'a/b?c' });
    await first.put(documentKey('entities', '@breaker@k1'), { schedulerId: '@breaker@k1', state: '1' });
    const reopened = new FileTaskHubStore(dir, 'HubA');
    await reopened.open();
    expect(await reopened.loadAll('instances/')).toEqual([{ instanceId: 'a/b?c' }]);
    expect(await reopened.loadAll('entities/')).toEqual([{ schedulerId: '@breaker@k1', state: '1' }]);
    const other = new FileTaskHubStore(dir, 'HubB');
    await other.open();
    expect(await other.loadAll('instances/')).toEqual([]);
    await reopened.delete(documentKey('instances', 'a/b?c'));
    expect(await reopened.loadAll('instances/')).toEqual([]);
  });
});
