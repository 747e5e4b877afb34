export * from './azure-credential';
export * from './app-service-managed-identity';
