export * from './build-dead-letter';
export * from './dead-letter-sink';
