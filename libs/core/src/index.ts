export * from './issue-code';
export * from './pipeline-error';
export * from './to-pipeline-error';
export * from './redact';
export * from './logger';
export * from './parse-config';
export * from './retry-policy';
export * from './local-emulator';
