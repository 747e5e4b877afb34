export * from './partition-lag';
export * from './event-hub-lag-source';
export * from './event-hub-lag-from-settings';
export * from './partition-reader';
export * from './rewind-target';
export * from './checkpoint-rewind';
export * from './data-loss';
