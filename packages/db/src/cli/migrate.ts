// `pnpm migrate`: applies pending migrations to DATABASE_URL (creating the database if missing).
// `--recreate` first drops it: only for throwaway databases such as the e2e stack's.
import { createOrm, migrate } from '../orm';
import { ensureDatabase, recreateDatabase } from '../test-database';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^mysql:\/\//.test(url)) {
    process.stderr.write('migrate: DATABASE_URL must be set to mysql://user:password@host:port/database\n');
    process.exit(1);
  }
  if (process.argv.includes('--recreate')) await recreateDatabase(url);
  else await ensureDatabase(url);
  const orm = await createOrm({ url });
  try {
    const applied = await migrate(orm);
    process.stdout.write(applied.length ? `migrate: applied ${applied.join(', ')}\n` : 'migrate: up to date\n');
  } finally {
    await orm.close(true);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
