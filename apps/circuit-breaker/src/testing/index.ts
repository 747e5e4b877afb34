export * from './durable-internals';
export * from './orchestration-replay';
export * from './entity-replay';
export * from './in-memory-breaker-control';
export * from './test-services';
