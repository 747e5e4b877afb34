export * from './device-docs';
