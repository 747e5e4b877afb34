export * from './console-logger';
export * from './settings';
export * from './app-services';
export * from './register-app-hooks';
export * from './host-extensions';
