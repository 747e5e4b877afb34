export * from './cosmos-charges';
export * from './measured';
export * from './plan';
export * from './prices';
export * from './format-plan';
export * from './program';
export * from './ru-per-event-rows';
