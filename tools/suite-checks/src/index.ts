export * from './honest-tests';
