export * from './partition-lag';
export * from './event-hub-lag-source';
export * from './event-hub-lag-from-settings';
