import type { MikroORM } from '@mikro-orm/mariadb';
import { createRandom, sqlDateTime } from './random';

export type SeedOptions = {
  users: number;
  orders: number;
  /** Products to add; defaults to 500 when the table is empty, else 0. */
  products?: number;
  /** Sessions to add; defaults to half the new users. */
  sessions?: number;
  /** The instant the history ends at (orders span the `historyDays` before it). */
  now?: Date;
  historyDays?: number;
  seed?: number;
  /** Rows per INSERT statement and statements in flight. */
  batchRows?: number;
  concurrency?: number;
  onProgress?: (message: string) => void;
};

export type SeedSummary = { users: number; orders: number; products: number; sessions: number; ms: number };

const FIRST = ['Ana', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lena', 'Mia', 'Nils', 'Omar', 'Priya', 'Quinn', 'Rui', 'Sara', 'Tomás', 'Uma', 'Vik', 'Wen', 'Yusuf', 'Zoe'];
const LAST = ['Alves', 'Brown', 'Costa', 'Dubois', 'Evans', 'Fischer', 'García', 'Huang', 'Ito', 'Jensen', 'Kim', 'Lopez', 'Müller', 'Nowak', 'Okafor', 'Park', 'Rossi', 'Singh', 'Tanaka', 'Wang'];
const COUNTRIES = ['US', 'CN', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'ES', 'IT', 'NL', 'SE', 'PL', 'KR', 'CA'];
const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music', 'office', 'outdoor', 'pets', 'sports', 'toys'];
const DAY_MS = 86_400_000;

/**
 * Appends a realistic dataset with multi-row INSERTs built client side and several statements in
 * flight: users (new ids after the current max), products, orders skewed toward heavy spenders and
 * best sellers, and sessions around `now` (some already expired). Deterministic for a given seed.
 */
export async function seedDataset(orm: MikroORM, opts: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const conn = orm.em.getConnection();
  const rnd = createRandom(opts.seed ?? 42);
  const now = (opts.now ?? new Date()).getTime();
  const historyMs = (opts.historyDays ?? 365) * DAY_MS;
  const batchRows = opts.batchRows ?? 5_000;
  const concurrency = opts.concurrency ?? 3;
  const log = opts.onProgress ?? (() => undefined);

  const maxOf = async (table: string): Promise<number> => {
    const [row] = await conn.execute<Array<{ m: number | null }>>(`select max(id) as m from ${table}`);
    return Number(row?.m ?? 0);
  };
  const firstUser = (await maxOf('users')) + 1;
  const firstProduct = (await maxOf('products')) + 1;
  const productCount = opts.products ?? (firstProduct === 1 ? 500 : 0);
  const sessionCount = opts.sessions ?? Math.floor(opts.users / 2);

  // Statements run `concurrency` at a time; each holds `batchRows` rows.
  const inFlight = new Set<Promise<unknown>>();
  const submit = async (sql: string) => {
    const p = conn.execute(sql, [], 'run').finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  const drain = async () => {
    await Promise.all(inFlight);
  };
  async function insertRows(table: string, columns: string, count: number, row: (i: number) => string): Promise<void> {
    let values: string[] = [];
    for (let i = 0; i < count; i++) {
      values.push(row(i));
      if (values.length === batchRows || i === count - 1) {
        await submit(`insert into ${table} (${columns}) values ${values.join(',')}`);
        values = [];
      }
      if ((i + 1) % 500_000 === 0) log(`${table}: ${i + 1}/${count}`);
    }
    await drain();
  }

  const prices: number[] = [];
  await insertRows('products', 'id, sku, name, category, price, created_at', productCount, (i) => {
    const id = firstProduct + i;
    const price = Math.round((4.99 + 295 * rnd() ** 2) * 100) / 100;
    prices[i] = price;
    const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
    return `(${id},'SKU-${String(id).padStart(7, '0')}','${category} item ${id}','${category}',${price.toFixed(2)},'${sqlDateTime(now - rnd() * historyMs * 2)}')`;
  });
  // Orders may reference any product, old or new; prices of old ones are read back once.
  const allPrices = new Map<number, number>();
  const productRows = await conn.execute<Array<{ id: number; price: number }>>('select id, price from products');
  for (const p of productRows) allPrices.set(Number(p.id), Number(p.price));
  const productIds = [...allPrices.keys()];

  await insertRows('users', 'id, email, name, country, tier, created_at', opts.users, (i) => {
    const id = firstUser + i;
    const name = `${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`;
    // Sign-ups grow over time: more recent ones are more frequent.
    const created = now - historyMs * 2 * (1 - Math.sqrt(rnd()));
    return `(${id},'user${id}@example.com','${name}','${COUNTRIES[Math.floor(rnd() * COUNTRIES.length)]}','standard','${sqlDateTime(created)}')`;
  });

  const userCount = firstUser - 1 + opts.users;
  if (opts.orders > 0 && (userCount === 0 || productIds.length === 0)) throw new Error('seed: orders need users and products');
  await insertRows('orders', 'user_id, product_id, quantity, amount, status, created_at', opts.orders, () => {
    // A power law on both sides: a few users buy a lot, a few products sell a lot.
    const user = 1 + Math.floor(userCount * rnd() ** 2.2);
    const product = productIds[Math.floor(productIds.length * rnd() ** 3)];
    const quantity = 1 + Math.floor(rnd() ** 3 * 4);
    const amount = (allPrices.get(product) ?? 10) * quantity;
    const s = rnd();
    const status = s < 0.88 ? 'paid' : s < 0.93 ? 'refunded' : s < 0.97 ? 'cancelled' : 'pending';
    const created = now - historyMs * rnd() ** 1.3;
    return `(${user},${product},${quantity},${amount.toFixed(2)},'${status}','${sqlDateTime(created)}')`;
  });

  await insertRows('sessions', 'user_id, token, expires_at, created_at', sessionCount, () => {
    const user = 1 + Math.floor(userCount * rnd());
    const expires = now + (rnd() - 0.5) * 60 * DAY_MS;
    const token = Math.floor(rnd() * 2 ** 52).toString(16).padStart(16, '0') + Math.floor(rnd() * 2 ** 52).toString(16).padStart(16, '0');
    return `(${user},'${token.slice(0, 32)}','${sqlDateTime(expires)}','${sqlDateTime(expires - 30 * DAY_MS)}')`;
  });

  return { users: opts.users, orders: opts.orders, products: productCount, sessions: sessionCount, ms: Date.now() - started };
}

/** Seeds a small demo dataset (2,000 users, 20,000 orders) when the users table is empty; `npm start` calls it. */
export async function seedIfEmpty(orm: MikroORM, opts: Partial<SeedOptions> = {}): Promise<SeedSummary | null> {
  const [row] = await orm.em.getConnection().execute<Array<{ n: number }>>('select exists(select 1 from users) as n');
  if (Number(row?.n) === 1) return null;
  return seedDataset(orm, { users: 2_000, orders: 20_000, ...opts });
}
