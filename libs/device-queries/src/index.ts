export * from './continuation-token';
export * from './device-list-query';
export * from './device-list-sql';
export * from './device-view';
export * from './device-reader';
export * from './entity-tag';
export * from './ops/probe';
export * from './ops/ops-summary';
