export * from './breaker-status';
export * from './source-event';
export * from './dead-letter';
export * from './dead-letter-codec';
export * from './dead-letter-id';
export * from './ops-summary';
export * from './stack-descriptor';
export * from './resource-names';
