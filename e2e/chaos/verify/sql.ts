import type { MikroORM } from '@timekeeper/db';

/** Plain parameterised SQL on the chaos database. */
export type Sql = <T>(query: string, params?: unknown[]) => Promise<T[]>;

export const sqlOf =
  (orm: MikroORM): Sql =>
  <T>(query: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<T[]>(query, params);

/** `?, ?, ?` for an IN list. */
export const marks = (values: unknown[]) => values.map(() => '?').join(', ');

export const ms = (v: Date | string | number) => new Date(v).getTime();
