import type { IngestionSwitch } from '../ingestion-switch';

/** Unit-test fake: remembers whether ingestion is paused and every call. */
export class InMemoryIngestionSwitch implements IngestionSwitch {
  readonly description = 'in-memory';
  paused = false;
  readonly calls: Array<'pause' | 'resume'> = [];

  async pause(): Promise<void> {
    this.calls.push('pause');
    this.paused = true;
  }

  async resume(): Promise<void> {
    this.calls.push('resume');
    this.paused = false;
  }
}
