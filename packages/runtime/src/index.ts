export * from './config';
export * from './logger';
export * from './metrics';
export * from './ops-routes';
export * from './ops-server';
export * from './readiness';
export * from './shutdown';
export * from './testing/temporal-server';
