export * from './cosmos-device-state-store';
export * from './cosmos-device-reader';
export * from './cosmos-connection';
export * from './lru-cache';
export * from './store-settings';
