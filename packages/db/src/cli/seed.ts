// `pnpm seed --users N --orders M [--products P] [--sessions S] [--seed X]`: migrates, then appends data to DATABASE_URL.
// `--if-empty`: seeds the small default dataset only when there are no users yet (npm start uses this).
import { parseArgs } from 'node:util';
import { createOrm, migrate } from '../orm';
import { seedDataset, seedIfEmpty } from '../seed';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^mysql:\/\//.test(url)) {
    process.stderr.write('seed: DATABASE_URL must be set to mysql://user:password@host:port/database\n');
    process.exit(1);
  }
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      users: { type: 'string', default: '2000' },
      orders: { type: 'string', default: '20000' },
      products: { type: 'string' },
      sessions: { type: 'string' },
      seed: { type: 'string', default: '42' },
      'if-empty': { type: 'boolean', default: false },
    },
  });
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
  const orm = await createOrm({ url, poolMax: 4 });
  try {
    await migrate(orm);
    if (values['if-empty']) {
      const seeded = await seedIfEmpty(orm);
      process.stdout.write(seeded ? `seed: empty database seeded with ${seeded.users} users and ${seeded.orders} orders\n` : 'seed: data present, nothing to do\n');
      return;
    }
    const summary = await seedDataset(orm, {
      users: num('users', values.users) ?? 0,
      orders: num('orders', values.orders) ?? 0,
      products: num('products', values.products),
      sessions: num('sessions', values.sessions),
      seed: num('seed', values.seed),
      onProgress: (m) => process.stdout.write(`seed: ${m}\n`),
    });
    const rate = Math.round(((summary.users + summary.orders) / summary.ms) * 1000);
    process.stdout.write(
      `seed: ${summary.users} users, ${summary.orders} orders, ${summary.products} products, ${summary.sessions} sessions in ${(summary.ms / 1000).toFixed(1)} s (${rate} rows/s)\n`,
    );
  } finally {
    await orm.close(true);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
