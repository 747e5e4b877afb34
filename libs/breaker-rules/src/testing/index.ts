export * from './in-memory-ingestion-switch';
export * from './recording-notifier';
