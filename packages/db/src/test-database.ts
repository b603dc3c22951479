import { MikroORM } from '@mikro-orm/mariadb';

/**
 * Recreates an empty database `<base>_test_<suffix>` beside the one in `url` and returns its URL,
 * so each test suite owns its tables. Used by integration tests only.
 */
export async function freshTestDatabase(url: string, suffix: string): Promise<string> {
  const parsed = new URL(url);
  const base = parsed.pathname.replace(/^\//, '') || 'timekeeper';
  const name = `${base}_test_${suffix.replace(/[^a-z0-9_]/gi, '_')}`;
  const admin = await MikroORM.init({ clientUrl: url, entities: [], discovery: { warnWhenNoEntities: false } });
  try {
    await admin.em.getConnection().execute(`drop database if exists \`${name}\``);
    await admin.em.getConnection().execute(`create database \`${name}\``);
  } finally {
    await admin.close(true);
  }
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

