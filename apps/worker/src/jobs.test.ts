import { seedDataset, writeOutbox } from '@timekeeper/db';
import { drawFence, fencedSetMany, productKey, profileKey, TOP_PRODUCTS_KEY } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

// Each job on a small seeded dataset, through the real worker, compared with an independent SQL
// computation of what it should have produced.
let h: Harness;
const NOW = new Date('2026-11-20T00:00:00.000Z');
const SLOT = '2026-11-20T03:00:00.000Z';
const DAY = 86_400_000;

beforeAll(async () => {
  h = await createHarness('jobs');
  await seedDataset(h.orm, { users: 2_000, orders: 20_000, products: 300, sessions: 1_500, now: NOW, seed: 7 });
  await h.startWorker();
}, 120_000);
afterAll(async () => h?.close(), 30_000);

/** Expected tier per user: the highest threshold not above the user's paid spend in the window. */
async function expectedTiers(from: Date, to: Date): Promise<Map<number, { old: string; tier: string }>> {
  const rows = await h.sql<Array<{ id: number; old: string; tier: string }>>(
    `select s.id, s.old, (select v.tier from vip_tiers v where v.min_spend = (select max(w.min_spend) from vip_tiers w where w.min_spend <= s.spend)) as tier
     from (select u.id, u.tier as old,
                  (select coalesce(sum(o.amount), 0) from orders o where o.user_id = u.id and o.status = 'paid' and o.created_at >= ? and o.created_at < ?) as spend
           from users u) s`,
    [from, to],
  );
  return new Map(rows.map((r) => [Number(r.id), { old: r.old, tier: r.tier }]));
}

const count = async (sql: string, params: unknown[] = []) => Number((await h.sql<Array<{ n: number }>>(sql, params))[0].n);

describe('vip-recalculation', () => {
  it('sets every tier as an independent computation says, with one history row, event and invalidation per change', async () => {
    const slot = new Date(SLOT);
    const expected = await expectedTiers(new Date(slot.getTime() - 90 * DAY), slot);
    const changes = [...expected].filter(([, e]) => e.old !== e.tier);
    expect(changes.length).toBeGreaterThan(100);
    const changedId = changes[0][0];
    const unchangedId = [...expected].find(([, e]) => e.old === e.tier)![0];
    await h.redis.set(profileKey(changedId), '{"stale":true}');
    await h.redis.set(profileKey(unchangedId), '{"fresh":true}');

    const input = h.input('vip-recalculation', { windowDays: 90, chunkSize: 300 }, { jobKey: 'vip', slot: SLOT });
    const summary = await (await h.start(input)).result();
    expect(summary.result).toMatchObject({ counts: { users: 2_000, changed: changes.length }, chunks: 7 });

    const actual = await h.sql<Array<{ id: number; tier: string }>>('select id, tier from users');
    for (const u of actual) expect(u.tier).toBe(expected.get(Number(u.id))!.tier);
    expect(await count('select count(*) as n from tier_changes where job_key = ?', ['vip'])).toBe(changes.length);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.type') = 'vip.tier_changed'")).toBe(changes.length);
    expect(await count("select count(distinct event_id) as n from outbox where json_value(payload, '$.type') = 'vip.tier_changed'")).toBe(changes.length);
    expect(await h.redis.exists(profileKey(changedId))).toBe(0);
    expect(await h.redis.exists(profileKey(unchangedId))).toBe(1);

    // The same slot again (a manual retry): the slot already succeeded, nothing more lands.
    const again = await (await h.start(input)).result();
    expect(again.duplicate).toBe(true);
    expect(await count('select count(*) as n from tier_changes where job_key = ?', ['vip'])).toBe(changes.length);
  }, 120_000);

  it('the same slot triggered twice at once applies its effects once', async () => {
    // A 30-day window changes tiers again relative to the 90-day run above.
    const slot = new Date(SLOT);
    const expected = await expectedTiers(new Date(slot.getTime() - 30 * DAY), slot);
    const changes = [...expected].filter(([, e]) => e.old !== e.tier).length;
    expect(changes).toBeGreaterThan(50);
    const input = h.input('vip-recalculation', { windowDays: 30, chunkSize: 300 }, { jobKey: 'vip-dup', slot: SLOT });
    const [a, b] = await Promise.all([h.start(input, 'tk-vip-dup-a'), h.start(input, 'tk-vip-dup-b')]);
    const results = await Promise.all([a.result(), b.result()]);
    for (const r of results) expect(r.status).toBe('succeeded');
    expect(await count('select count(*) as n from tier_changes where job_key = ?', ['vip-dup'])).toBe(changes);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.jobKey') = 'vip-dup'")).toBe(changes);
    expect(await count('select count(*) as n from job_checkpoints where job_key = ?', ['vip-dup'])).toBe(7);
    const actual = await h.sql<Array<{ id: number; tier: string }>>('select id, tier from users');
    for (const u of actual) expect(u.tier).toBe(expected.get(Number(u.id))!.tier);
  }, 120_000);
});

describe('report-generation', () => {
  it('writes one report for the previous day in the job zone, equal to an independent aggregate, and is idempotent', async () => {
    // Asia/Shanghai is UTC+8 without DST: the slot 2026-11-20T03:00Z is 11:00 local on the 20th, so
    // the report covers local 2026-11-19, i.e. [2026-11-18T16:00Z, 2026-11-19T16:00Z).
    const start = new Date('2026-11-18T16:00:00.000Z');
    const end = new Date('2026-11-19T16:00:00.000Z');
    const input = h.input('report-generation', { period: 'day', reportKind: 'sales-summary' }, { jobKey: 'report', slot: SLOT, timezone: 'Asia/Shanghai' });
    await (await h.start(input)).result();
    const [report] = await h.sql<Array<{ label: string; period_start: string; payload: Record<string, unknown> & { revenue: number; orders: { total: number; paid: number }; newUsers: number; tiers: Record<string, number> } }>>(
      'select label, period_start, payload from reports where kind = ?',
      ['sales-summary'],
    );
    expect(report.label).toBe('2026-11-19');
    expect(report.period_start).toBe('2026-11-18 16:00:00.000');
    const [exp] = await h.sql<Array<{ revenue: number; total: number; paid: number; users: number; before: number }>>(
      `select (select round(coalesce(sum(amount), 0), 2) from orders where status = 'paid' and created_at between ? and ? - interval 1 microsecond) as revenue,
              (select count(*) from orders where created_at >= ? and created_at < ?) as total,
              (select count(*) from orders where status = 'paid' and created_at >= ? and created_at < ?) as paid,
              (select count(*) from users where created_at >= ? and created_at < ?) as users,
              (select count(*) from users where created_at < ?) as \`before\``,
      [start, end, start, end, start, end, start, end, end],
    );
    expect(report.payload.revenue).toBeCloseTo(Number(exp.revenue), 2);
    expect(report.payload.orders.total).toBe(Number(exp.total));
    expect(report.payload.orders.paid).toBe(Number(exp.paid));
    expect(report.payload.newUsers).toBe(Number(exp.users));
    expect(Object.values(report.payload.tiers).reduce((a, b) => a + b, 0)).toBe(Number(exp.before));
    expect(Number(exp.total)).toBeGreaterThan(0);

    // A later slot on the same local day reports the same period: still one row, one event.
    const later = h.input('report-generation', { period: 'day', reportKind: 'sales-summary' }, { jobKey: 'report', slot: '2026-11-20T09:00:00.000Z', timezone: 'Asia/Shanghai' });
    const second = await (await h.start(later)).result();
    expect(second.result?.counts).toEqual({ generated: 0, existing: 1 });
    expect(await count('select count(*) as n from reports where kind = ?', ['sales-summary'])).toBe(1);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.type') = 'report.generated'")).toBe(1);
  }, 60_000);
});

describe('cache-warming', () => {
  it('caches the top products and VIP profiles with TTLs; a stale writer is refused', async () => {
    const input = h.input('cache-warming', { topProducts: 10, vipProfiles: 700, ttlSeconds: 120 }, { jobKey: 'cache', slot: SLOT });
    const summary = await (await h.start(input)).result();
    const slot = new Date(SLOT);
    const top = await h.sql<Array<{ id: number }>>(
      `select product_id as id from orders where status = 'paid' and created_at >= ? and created_at < ?
       group by product_id order by sum(quantity) desc, product_id limit 10`,
      [new Date(slot.getTime() - 30 * DAY), slot],
    );
    const cached = JSON.parse((await h.redis.get(TOP_PRODUCTS_KEY))!) as { products: number[] };
    expect(cached.products).toEqual(top.map((r) => Number(r.id)));
    expect(await h.redis.ttl(productKey(top[0].id))).toBeGreaterThan(100);

    const vips = await h.sql<Array<{ id: number }>>(
      "select u.id from users u join vip_tiers t on t.tier = u.tier where t.`rank` >= 1 order by u.id limit 700",
    );
    expect(summary.result?.counts).toEqual({ products: 10, profiles: vips.length });
    for (const v of vips.slice(0, 50)) expect(JSON.parse((await h.redis.get(profileKey(v.id)))!).id).toBe(Number(v.id));
    expect(await h.redis.ttl(profileKey(vips[0].id))).toBeGreaterThan(100);

    // A writer holding the fence the run used is now stale once a newer token exists.
    const used = summary.result!.fence;
    const em = h.orm.em.fork();
    await drawFence(em, h.redis, 'cache');
    await expect(fencedSetMany(h.redis, em, 'cache', used, [[TOP_PRODUCTS_KEY, 'stale']], 60)).rejects.toMatchObject({ type: 'StaleFence' });
    expect(await h.redis.get(TOP_PRODUCTS_KEY)).not.toBe('stale');
  }, 60_000);
});

describe('data-cleanup', () => {
  it('deletes expired sessions, old run records and long-sent outbox rows in bounded batches and reports the count', async () => {
    const slot = new Date(SLOT);
    const old = new Date(slot.getTime() - 40 * DAY);
    // Outbox rows 100 h before the slot (retention 72 h): only the sent one goes; unsent, dead-lettered
    // and recently sent rows stay.
    const outboxRow = async (state: 'sent' | 'recent' | 'unsent' | 'dead'): Promise<string> => {
      const [id] = await writeOutbox(h.orm.em.fork(), [{ topic: 'timekeeper.events', key: 'cleanup', type: 'test.retention', payload: { state } }]);
      const at = new Date(slot.getTime() - (state === 'recent' ? 10 : 100) * 3_600_000);
      const column = state === 'dead' ? 'dead_at' : state === 'unsent' ? 'created_at' : 'sent_at';
      await h.sql(`update outbox set created_at = ?, ${column} = ? where event_id = ?`, [at, at, id]);
      return id;
    };
    const [gone, ...kept] = [await outboxRow('sent'), await outboxRow('recent'), await outboxRow('unsent'), await outboxRow('dead')];
    for (let i = 0; i < 25; i++) {
      await h.sql(
        "insert into job_slots (job_key, nominal_time, kind, status, attempt, created_at, updated_at) values ('old-job', ?, 'synthetic', 'succeeded', 1, ?, ?)",
        [new Date(old.getTime() + i * 60_000), old, old],
      );
    }
    const expiredSessions = await count('select count(*) as n from sessions where expires_at < ?', [slot]);
    const liveSessions = await count('select count(*) as n from sessions where expires_at >= ?', [slot]);
    expect(expiredSessions).toBeGreaterThan(100);
    const input = h.input('data-cleanup', { batchSize: 100, runRetentionDays: 30, outboxRetentionHours: 72 }, { jobKey: 'cleanup', slot: SLOT });
    const summary = await (await h.start(input)).result();
    expect(summary.result?.counts).toMatchObject({ sessions: expiredSessions, slots: 25, outbox: 1 });
    const left = await h.sql<Array<{ event_id: string }>>("select event_id from outbox where json_value(payload, '$.type') = 'test.retention'");
    expect(left.map((r) => r.event_id).sort()).toEqual([...kept].sort());
    expect(left.some((r) => r.event_id === gone)).toBe(false);
    expect(await count('select count(*) as n from sessions where expires_at < ?', [slot])).toBe(0);
    expect(await count('select count(*) as n from sessions')).toBe(liveSessions);
    expect(await count("select count(*) as n from job_slots where job_key = 'old-job'")).toBe(0);
    // Bounded statements: one chunk per full batch plus the short one of each phase.
    expect(summary.result!.chunks).toBeGreaterThanOrEqual(Math.ceil(expiredSessions / 100));
  }, 60_000);
});
