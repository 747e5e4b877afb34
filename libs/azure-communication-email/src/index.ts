export * from './acs-email-notifier';
