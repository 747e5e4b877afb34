export * from './durable-internals';
export * from './orchestration-replay';
export * from './entity-replay';
