export * from './metrics-snapshot-file';
export * from './metrics-snapshot-writer';
export * from './metrics-snapshot-plugin';
export * from './bundle-metrics-plugin';
