export * from './webhook-notifier';
export * from './http-ingestion-switch';
export * from './http-breaker-status';
export * from './breaker-client';
