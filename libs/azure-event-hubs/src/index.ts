export * from './partition-lag';
export * from './event-hub-lag-source';
