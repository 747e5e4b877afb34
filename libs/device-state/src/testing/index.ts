export * from './expected-state';
export * from './arbitraries';
