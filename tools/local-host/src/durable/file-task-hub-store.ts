import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TaskHubStore } from './task-hub-store';

/** Task hub in a local folder (setting LOCAL_DURABLE_STORE_DIR): `<dir>/<hub>/instances|entities/*.json`. */
export class FileTaskHubStore implements TaskHubStore {
  private readonly root: string;

  constructor(dir: string, hubName: string) {
    this.root = path.resolve(dir, hubName);
  }

  get description(): string {
    return `folder ${this.root}`;
  }

  async open(): Promise<void> {
    await mkdir(path.join(this.root, 'instances'), { recursive: true });
    await mkdir(path.join(this.root, 'entities'), { recursive: true });
  }

  async loadAll<T>(prefix: string): Promise<T[]> {
    const dir = path.join(this.root, prefix);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as T));
  }

  async put(key: string, document: unknown): Promise<void> {
    const file = path.join(this.root, key);
    const temp = `${file}.tmp`;
    await writeFile(temp, JSON.stringify(document));
    await rename(temp, file); // atomic: a crash leaves the old or the new document
  }

  async delete(key: string): Promise<void> {
    await rm(path.join(this.root, key), { force: true });
  }
}
