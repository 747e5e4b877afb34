export * from './table-connection-settings';
export * from './table-connection';
export * from './table-failure-counter';
export * from './table-parking-store';
export * from './parked-count-source';
