export * from './failure-counts';
export * from './failure-counter';
export * from './time-buckets';
export * from './coalescing-failure-recorder';
export * from './failure-retention';
