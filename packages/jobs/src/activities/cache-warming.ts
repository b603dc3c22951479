import type { JobDeps } from '../deps';
import { fencedSetMany } from '../lock/fenced-cache';
import type { ChunkedJob } from '../runner/chunked';
import { parseParams } from './params';
import { profileKey, spendWindow } from './vip-recalculation';

export const TOP_PRODUCTS_KEY = 'tk:top-products';
export const productKey = (id: number | string) => `tk:product:${id}`;
const PROFILE_BATCH = 500;
const TOP_WINDOW_DAYS = 30;

type Cursor = { phase: 'products' } | { phase: 'profiles'; after: number; written: number };

/**
 * Warms Redis: chunk 0 caches the top-N products by units sold in the 30 days before the slot; the
 * following chunks cache VIP profiles (tier rank >= 1, by id) in batches. Every write goes through
 * the fenced Lua script, so a stale lock holder cannot overwrite a newer holder's entries.
 */
export function cacheWarmingJob(deps: JobDeps): ChunkedJob {
  return {
    kind: 'cache-warming',
    // Entries cached of those there will be: the top products sold in the window, then the VIP profiles.
    progress: {
      async estimate({ em, input, slot }) {
        const p = parseParams('cache-warming', input.params);
        const { from, to } = spendWindow(slot, TOP_WINDOW_DAYS);
        const [sold] = await em.execute<Array<{ n: number }>>(
          "select count(distinct product_id) as n from orders where created_at >= ? and created_at < ? and status = 'paid'",
          [from, to],
        );
        const vips = p.vipProfiles > 0
          ? await em.execute<Array<{ n: number }>>('select count(*) as n from users u join vip_tiers t on t.tier = u.tier and t.`rank` >= 1')
          : [{ n: 0 }];
        return { unit: 'entries', total: Math.min(p.topProducts, Number(sold?.n ?? 0)) + Math.min(p.vipProfiles, Number(vips[0]?.n ?? 0)) };
      },
      done: (s) => (s.counts.products ?? 0) + (s.counts.profiles ?? 0),
    },
    async step({ tx, cursor, slot, fence, input }) {
      const p = parseParams('cache-warming', input.params);
      const at: Cursor = cursor ? (JSON.parse(cursor) as Cursor) : { phase: 'products' };
      if (at.phase === 'products') {
        const { from, to } = spendWindow(slot, TOP_WINDOW_DAYS);
        const top = await tx.execute<Array<{ id: number; sku: string; name: string; category: string; price: number; units: number; revenue: number }>>(
          `select p.id, p.sku, p.name, p.category, p.price, sum(o.quantity) as units, sum(o.amount) as revenue
           from orders o join products p on p.id = o.product_id
           where o.created_at >= ? and o.created_at < ? and o.status = 'paid'
           group by p.id, p.sku, p.name, p.category, p.price
           order by units desc, p.id
           limit ?`,
          [from, to, p.topProducts],
        );
        const ranked = top.map((r, i) => ({ rank: i + 1, id: Number(r.id), sku: r.sku, name: r.name, category: r.category, price: Number(r.price), units: Number(r.units), revenue: Number(r.revenue) }));
        const entries: Array<[string, string]> = ranked.map((r) => [productKey(r.id), JSON.stringify(r)]);
        entries.push([TOP_PRODUCTS_KEY, JSON.stringify({ slot: slot.toISOString(), products: ranked.map((r) => r.id) })]);
        await fencedSetMany(deps.redis, tx, input.jobKey, fence, entries, p.ttlSeconds);
        const next: Cursor | null = p.vipProfiles > 0 ? { phase: 'profiles', after: 0, written: 0 } : null;
        return { cursor: next && JSON.stringify(next), counts: { products: ranked.length, profiles: 0 } };
      }
      const take = Math.min(PROFILE_BATCH, p.vipProfiles - at.written);
      const { from, to } = spendWindow(slot, 90);
      const users = await tx.execute<Array<{ id: number; name: string; email: string; country: string; tier: string; tier_updated_at: string | null }>>(
        `select u.id, u.name, u.email, u.country, u.tier, u.tier_updated_at
         from users u join vip_tiers t on t.tier = u.tier and t.\`rank\` >= 1
         where u.id > ? order by u.id limit ?`,
        [at.after, take],
      );
      if (users.length === 0) return { cursor: null, counts: { products: 0, profiles: 0 } };
      const ids = users.map((u) => Number(u.id));
      const spend = await tx.execute<Array<{ user_id: number; spend: number; orders: number }>>(
        `select user_id, sum(amount) as spend, count(*) as orders from orders
         where user_id in (${ids.map(() => '?').join(',')}) and status = 'paid' and created_at >= ? and created_at < ?
         group by user_id`,
        [...ids, from, to],
      );
      const byUser = new Map(spend.map((s) => [Number(s.user_id), s]));
      const entries: Array<[string, string]> = users.map((u) => [
        profileKey(u.id),
        JSON.stringify({
          id: Number(u.id),
          name: u.name,
          email: u.email,
          country: u.country,
          tier: u.tier,
          tierUpdatedAt: u.tier_updated_at,
          spend90d: Number(byUser.get(Number(u.id))?.spend ?? 0),
          orders90d: Number(byUser.get(Number(u.id))?.orders ?? 0),
          asOf: slot.toISOString(),
        }),
      ]);
      await fencedSetMany(deps.redis, tx, input.jobKey, fence, entries, p.ttlSeconds);
      const written = at.written + users.length;
      const more = users.length === take && written < p.vipProfiles;
      const next: Cursor = { phase: 'profiles', after: ids[ids.length - 1], written };
      return { cursor: more ? JSON.stringify(next) : null, counts: { products: 0, profiles: users.length } };
    },
  };
}
