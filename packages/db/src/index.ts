export { MikroORM, EntityManager, OptimisticLockError, UniqueConstraintViolationException, type FilterQuery, raw, LockMode } from '@mikro-orm/mariadb';
export * from './entities';
export * from './orm';
export * from './test-database';
export * from './queries/slots';
export * from './queries/state-slot';
export * from './seed';
export * from './queries/rows';
export * from './queries/job-list';
