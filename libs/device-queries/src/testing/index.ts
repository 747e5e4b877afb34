export * from './device-docs';
export * from './bundle-function-app';
