export * from './in-memory-device-state-store';
