export * from './source-event';
export * from './dead-letter';
export * from './build-dead-letter';
export * from './dead-letter-codec';
export * from './dead-letter-sink';
export * from './queue-dead-letter-sink';
export * from './resolve-dead-letter';
export * from './storage-connection';
