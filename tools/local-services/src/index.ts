export * from './free-port';
export * from './wait-until';
export * from './managed-process';
export * from './azurite';
export * from './cosmos-server';
export * from './fault-proxy';
export * from './stack-liveness';
export * from './maildev';
