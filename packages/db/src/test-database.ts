import { MikroORM } from '@mikro-orm/mariadb';

/** Runs statements on the server of `url` without needing its database to exist. */
async function onServer(url: string, statements: string[]): Promise<void> {
  const server = new URL(url);
  // information_schema is readable by every user and always exists.
  server.pathname = '/information_schema';
  const admin = await MikroORM.init({ clientUrl: server.toString(), entities: [], discovery: { warnWhenNoEntities: false } });
  try {
    for (const sql of statements) await admin.em.getConnection().execute(sql);
  } finally {
    await admin.close(true);
  }
}

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'timekeeper';
const quoted = (name: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" may hold only letters, digits and _`);
  return `\`${name}\``;
};

/** Creates the database named in `url` if it is missing (e.g. a separate database for the e2e stack). */
export async function ensureDatabase(url: string): Promise<void> {
  await onServer(url, [`create database if not exists ${quoted(databaseOf(url))}`]);
}

/** Drops and recreates the database named in `url` (the e2e stack starts from nothing each run). */
export async function recreateDatabase(url: string): Promise<void> {
  const name = quoted(databaseOf(url));
  await onServer(url, [`drop database if exists ${name}`, `create database ${name}`]);
}

/** Drops the database named in `url` (a benchmark's generated data, gigabytes, once its figures are taken). */
export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, [`drop database if exists ${quoted(databaseOf(url))}`]);
}

/**
 * Recreates an empty database `<base>_test_<suffix>` beside the one in `url` and returns its URL,
 * so each test suite owns its tables. Used by integration tests only.
 */
export async function freshTestDatabase(url: string, suffix: string): Promise<string> {
  const name = `${databaseOf(url)}_test_${suffix.replace(/[^a-z0-9_]/gi, '_')}`;
  await onServer(url, [`drop database if exists ${quoted(name)}`, `create database ${quoted(name)}`]);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
