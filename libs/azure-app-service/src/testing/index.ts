export * from './loopback-arm-server';
