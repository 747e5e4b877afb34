export * from './bicep-app-settings';
export * from './app-settings-contract';
export * from './settings-drift';
export * from './pipeline-apps';
export * from './main-bicep';
export * from './workspace';
export * from './contract-owners';
