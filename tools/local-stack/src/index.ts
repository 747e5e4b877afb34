export * from './stack-descriptor';
export * from './app-settings';
export * from './build-apps';
export * from './start-stack';
export * from './drain';
export * from './reconcile';
export * from './webhook-sink';
