export * from './batch-report';
export * from './failure-reporter';
export * from './process-batch';
export * from './record-batch-metrics';
export * from './write-behind';
