import type { EntityClass, EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mariadb';

/** The mariadb driver's callback connection, as knex's pool hands it out (only what is used here). */
type DriverConnection = { execute: (sql: string, values: unknown[], cb: (err: Error | null, rows: unknown) => void) => void };
type KnexClient = { acquireConnection: () => Promise<DriverConnection>; releaseConnection: (c: DriverConnection) => Promise<unknown> };

/**
 * Runs one parameterised SELECT over an entity's table and returns its rows as plain data, without
 * hydrating entities: the ORM's own result mapper turns columns into property names and converts
 * custom types (JSON, BIGINT as number, booleans), but no query builder, entity, identity map,
 * change-set snapshot or wrapper is involved. On GET /v1/jobs those were most of the cost (README,
 * "Hot read paths"). For reads whose rows go straight into a DTO: a row read this way is not
 * managed, so it cannot be changed and flushed. `sql` must select the table's columns (`select *`
 * or `t.*`); values only ever travel as `params`.
 *
 * Outside a transaction the statement goes to the driver as a prepared statement (binary protocol,
 * prepared once per pooled connection and cached by the driver) on a connection of the ORM's own
 * pool, past knex's query runner: per request that runner and the text protocol's client-side
 * interpolation cost more CPU than the page's rows (measured: `pnpm bench --only api-jobs,api-runs`).
 * Inside a transaction it runs on the transaction's connection, as any ORM query.
 */
export async function selectRows<T extends object>(em: EntityManager, entity: EntityClass<T>, sql: string, params: unknown[]): Promise<Readonly<T>[]> {
  const rows = await executeSelect<EntityDictionary<T>>(em, sql, params);
  const comparator = em.getComparator();
  return rows.map((row) => comparator.mapResult(entity.name, row) as Readonly<T>);
}

async function executeSelect<R>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const connection = em.getConnection();
  const trx = em.getTransactionContext();
  if (trx) return connection.execute<R[]>(sql, params, 'all', trx);
  const client = (connection.getKnex() as unknown as { client: KnexClient }).client;
  const conn = await client.acquireConnection();
  try {
    return await new Promise<R[]>((resolve, reject) => conn.execute(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as R[]))));
  } catch (err) {
    throw em.getDriver().convertException(err as Error);
  } finally {
    await client.releaseConnection(conn);
  }
}
