export * from './device-state-container';
export * from './dead-letter-resources';
export * from './failure-table';
export * from './parking-resources';
export * from './transient';
