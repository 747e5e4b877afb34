export * from './arm-web-apps';
export * from './arm-function-disable-switch';
export * from './arm-app-stop-switch';
