export * from './in-memory-parking-store';
export * from './in-memory-dead-letter-queue';
export * from './fake-breaker-status';
export * from './dead-letters';
