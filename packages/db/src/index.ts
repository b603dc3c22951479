export { MikroORM, EntityManager, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/mariadb';
export * from './entities';
export * from './orm';
export * from './test-database';
