/**
 * Stops and restarts ingestion. Both calls are idempotent (pausing a paused target is a no-op)
 * and must leave the breaker's own app running. Resuming continues from the last Event Hubs
 * checkpoint: the trigger owns the checkpoints, a switch never touches them.
 */
export interface IngestionSwitch {
  /** For status pages and logs: which adapter and target, never a credential. */
  readonly description: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
}
