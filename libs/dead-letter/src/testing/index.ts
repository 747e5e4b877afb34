export * from './in-memory-dead-letter-sink';
