import type { EntityClass, EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mariadb';
import { utcDate } from '../raw-date';

/** The mariadb driver's callback connection, as knex's pool hands it out (only what is used here). */
type DriverConnection = { execute: (q: { sql: string; dateStrings: boolean }, values: unknown[], cb: (err: Error | null, rows: unknown) => void) => void };
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
  const dates = dateColumns(em, entity);
  return rows.map((row) => {
    // DATETIMEs arrive as UTC strings (the pool's session zone); ISO parsing is V8's fast path, the
    // mapper's own parse of the driver's format was a third of a 200-row page's CPU.
    for (const c of dates) if (typeof row[c] === 'string') (row as Record<string, unknown>)[c] = utcDate(row[c] as string);
    return comparator.mapResult(entity.name, row) as Readonly<T>;
  });
}

const DATE_COLUMNS = new WeakMap<object, string[]>();

/** The entity's DATETIME columns (from the ORM's metadata), once per entity. */
function dateColumns(em: EntityManager, entity: EntityClass<unknown>): string[] {
  let columns = DATE_COLUMNS.get(entity);
  if (!columns) {
    const props = Object.values(em.getMetadata().get(entity.name).properties);
    columns = props.filter((p) => p.runtimeType === 'Date').flatMap((p) => p.fieldNames);
    DATE_COLUMNS.set(entity, columns);
  }
  return columns;
}

async function executeSelect<R>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const connection = em.getConnection();
  const trx = em.getTransactionContext();
  if (trx) return connection.execute<R[]>(sql, params, 'all', trx);
  const client = (connection.getKnex() as unknown as { client: KnexClient }).client;
  // The binary protocol sends and reads DATETIMEs in the process's zone, not the session's: dates
  // travel as UTC text both ways, as on the ORM's own (text protocol) path.
  const values = params.map((p) => (p instanceof Date ? p.toISOString().slice(0, 23).replace('T', ' ') : p));
  const conn = await client.acquireConnection();
  try {
    return await new Promise<R[]>((resolve, reject) => conn.execute({ sql, dateStrings: true }, values, (err, rows) => (err ? reject(err) : resolve(rows as R[]))));
  } catch (err) {
    throw em.getDriver().convertException(err as Error);
  } finally {
    await client.releaseConnection(conn);
  }
}
