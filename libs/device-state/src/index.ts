export * from './telemetry';
export * from './decode-telemetry';
export * from './device-state';
export * from './merge';
export * from './coalesce';
export * from './device-clock';
export * from './device-id';
export * from './iot-hub-identity';
