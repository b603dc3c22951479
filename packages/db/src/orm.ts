import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/mariadb';
import { entities } from './entities';
import { migrationsList } from './migrations';

export type DbConfig = {
  /** mysql://user:password@host:port/database */
  url: string;
  debug?: boolean;
  poolMax?: number;
  /**
   * MariaDB `max_statement_time` for every session of the pool, in ms (0 or unset: no limit). A
   * statement running longer is aborted, so a stuck query cannot hold row locks (e.g. a job's fence
   * row) past it.
   */
  statementTimeoutMs?: number;
};

/** Builds MikroORM options from explicit config; this package never reads process.env. */
export function ormOptions(config: DbConfig): Options {
  return {
    clientUrl: config.url,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: false, allOrNothing: false, tableName: 'mikro_orm_migrations', silent: true, snapshot: false },
    debug: config.debug ?? false,
    pool: { min: 0, max: config.poolMax ?? 10 },
    timezone: '+00:00',
    forceUtcTimezone: true,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: false },
    // The mariadb driver sets these on each new connection.
    ...(config.statementTimeoutMs ? { driverOptions: { connection: { sessionVariables: { max_statement_time: config.statementTimeoutMs / 1000 } } } } : {}),
  };
}

export async function createOrm(config: DbConfig): Promise<MikroORM> {
  return MikroORM.init(ormOptions(config));
}

/** Applies pending migrations; returns the names applied. MariaDB DDL is not transactional. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
