export * from './simulate';
export * from './sent-record';
export * from './corrupt-event';
export * from './drone-fleet';
export * from './random';
export * from './scenario-events';
export * from './iot-hub-message';
