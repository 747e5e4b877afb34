export * from './app-settings';
export * from './build-apps';
export * from './start-stack';
export * from './drain';
export * from './reconcile';
export * from './webhook-sink';
export * from './run-scenario';
export * from './summary-table';
