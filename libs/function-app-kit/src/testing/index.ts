export * from './host-start-failure';
