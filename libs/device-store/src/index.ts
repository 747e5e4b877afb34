export * from './device-state-store';
