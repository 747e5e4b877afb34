export * from './in-memory-failure-counter';
