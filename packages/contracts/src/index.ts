export * from './duration';
export * from './errors';
export * from './job-definition';
export * from './job-kinds';
export * from './alerts';
export * from './runs';
export * from './run-events';
export * from './run-actions';
