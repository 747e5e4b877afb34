export * from './batch-report';
export * from './failure-reporter';
export * from './process-batch';
