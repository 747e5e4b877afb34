export * from './program';
export * from './breaker-gate';
export * from './target';
