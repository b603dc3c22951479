export * from './temporal-connection';
export * from './desired-schedule';
export * from './schedule-options';
export * from './schedule-sync';
export * from './cron';
export * from './timezone';
export * from './fire-times';
export * from './preview';
