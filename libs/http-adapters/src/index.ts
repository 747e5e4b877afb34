export * from './webhook-notifier';
export * from './local-host-switch';
export * from './http-breaker-status';
export * from './breaker-client';
