export * from './storage-connection';
export * from './queue-dead-letter-sink';
export * from './resolve-dead-letter';
export * from './storage-dead-letter-queue';
export * from './dead-letter-inventory';
export * from './queue-redrive';
export * from './dead-letter-stats-source';
export * from './poison-rehome';
