export * from './duration';
export * from './job-kinds';
