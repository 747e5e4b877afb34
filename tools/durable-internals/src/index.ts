export * from './wire';
export * from './history-events';
export * from './library-internals';
export * from './orchestration-replay';
export * from './entity-replay';
