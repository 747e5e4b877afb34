export * from './breaker-state';
export * from './breaker-command';
export * from './breaker-machine';
export * from './breaker-policy';
export * from './approval-token';
export * from './ingestion-switch';
export * from './breaker-notice';
export * from './approval-check';
