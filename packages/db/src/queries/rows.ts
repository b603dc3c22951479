import type { EntityClass, EntityDictionary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mariadb';

/**
 * Runs one parameterised SELECT over an entity's table and returns its rows as plain data, without
 * hydrating entities: the ORM's own result mapper turns columns into property names and converts
 * custom types (JSON, BIGINT as number, booleans), but no query builder, entity, identity map,
 * change-set snapshot or wrapper is involved. On GET /v1/jobs those were most of the cost (README,
 * "Hot read paths"). For reads whose rows go straight into a DTO: a row read this way is not
 * managed, so it cannot be changed and flushed. `sql` must select the table's columns (`select *`
 * or `t.*`); values only ever travel as `params`.
 */
export async function selectRows<T extends object>(em: EntityManager, entity: EntityClass<T>, sql: string, params: unknown[]): Promise<Readonly<T>[]> {
  const rows = await em.getConnection().execute<EntityDictionary<T>[]>(sql, params);
  const comparator = em.getComparator();
  return rows.map((row) => comparator.mapResult(entity.name, row) as Readonly<T>);
}
