export * from './loopback-acs-email-server';
