export * from './smtp-email-notifier';
