export * from './failure-counts';
export * from './failure-counter';
export * from './time-buckets';
export * from './table-failure-counter';
export * from './table-connection';
export * from './coalescing-failure-recorder';
