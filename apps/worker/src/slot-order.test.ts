import { randomUUID } from 'node:crypto';
import { seedDataset } from '@timekeeper/db';
import { ensureFenceRow, guardSlotOrder, profileKey, TOP_PRODUCTS_KEY } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

// Slot order (issue 9 #2, DESIGN.md exactly-once layer 5) through the real worker on seeded data: a
// late run of Monday's slot of a latest-state job after Tuesday's succeeded leaves Tuesday's state
// and ends `superseded`, naming Tuesday; a period-keyed job re-runs an older slot as before.
let h: Harness;
const NOW = new Date('2026-11-20T00:00:00.000Z');
const MONDAY = '2026-11-16T03:00:00.000Z';
const TUESDAY = '2026-11-17T03:00:00.000Z';
const DAY = 86_400_000;
// A short spend window, so Monday's and Tuesday's windows give many users different tiers.
const VIP_PARAMS = { windowDays: 3, chunkSize: 300 };

beforeAll(async () => {
  h = await createHarness('slot_order');
  await seedDataset(h.orm, { users: 1_500, orders: 30_000, products: 200, sessions: 50, now: NOW, historyDays: 30, seed: 11 });
  await h.startWorker();
}, 120_000);
afterAll(async () => h?.close(), 30_000);

const count = async (sql: string, params: unknown[] = []) => Number((await h.sql<Array<{ n: number }>>(sql, params))[0].n);
const tiers = async () => new Map((await h.sql<Array<{ id: number; tier: string }>>('select id, tier from users')).map((u) => [Number(u.id), u.tier]));
const ledgerRow = async (jobKey: string, slot: string) =>
  (
    await h.sql<Array<{ status: string; result: Record<string, unknown> | null; error_type: string | null; error_message: string | null }>>(
      'select status, result, error_type, error_message from job_slots where job_key = ? and nominal_time = ?',
      [jobKey, new Date(slot)],
    )
  )[0];

/** Tier per user as a run of `slot` would compute it from scratch (same thresholds as the job). */
async function tiersFor(slot: string, windowDays: number): Promise<Map<number, string>> {
  const to = new Date(slot);
  const rows = await h.sql<Array<{ id: number; tier: string }>>(
    `select s.id, (select v.tier from vip_tiers v where v.min_spend <= s.spend order by v.min_spend desc limit 1) as tier
     from (select u.id, (select coalesce(sum(o.amount), 0) from orders o
                         where o.user_id = u.id and o.status = 'paid' and o.created_at >= ? and o.created_at < ?) as spend
           from users u) s`,
    [new Date(to.getTime() - windowDays * DAY), to],
  );
  return new Map(rows.map((r) => [Number(r.id), r.tier]));
}

/** Runs a slot as the API's Retry does: a new workflow id, the slot given explicitly. */
async function runSlot(jobKey: string, kind: 'vip-recalculation' | 'cache-warming' | 'report-generation' | 'synthetic', params: Record<string, unknown>, slot: string) {
  const handle = await h.start(h.input(kind, params, { jobKey, slot }), `tk-${jobKey}-${slot}-retry-${randomUUID().slice(0, 8)}`);
  return { handle, summary: await handle.result() };
}

describe('latest-state: vip-recalculation', () => {
  it("a late retry of Monday's slot after Tuesday's succeeded leaves Tuesday's tiers, writes no history or events, and ends superseded naming Tuesday", async () => {
    const key = 'order-vip';
    // Monday's first run failed (no effects); Tuesday's then succeeded.
    await h.sql("insert into job_slots (job_key, nominal_time, kind, status, attempt, error_type, created_at, updated_at) values (?, ?, 'vip-recalculation', 'failed', 3, 'Boom', now(3), now(3))", [key, new Date(MONDAY)]);
    const tuesday = await runSlot(key, 'vip-recalculation', VIP_PARAMS, TUESDAY);
    expect(tuesday.summary.status).toBe('succeeded');
    const afterTuesday = await tiers();
    expect(afterTuesday).toEqual(await tiersFor(TUESDAY, VIP_PARAMS.windowDays));
    // Monday's window really would change tiers back: without slot order this test fails.
    const mondayWould = await tiersFor(MONDAY, VIP_PARAMS.windowDays);
    const reverted = [...afterTuesday].filter(([id, tier]) => mondayWould.get(id) !== tier).length;
    expect(reverted).toBeGreaterThan(50);
    const history = await count('select count(*) as n from tier_changes where job_key = ?', [key]);
    const events = await count("select count(*) as n from outbox where json_value(payload, '$.type') = 'vip.tier_changed'");

    const monday = await runSlot(key, 'vip-recalculation', VIP_PARAMS, MONDAY);
    expect(monday.summary).toMatchObject({ status: 'superseded', slot: MONDAY, supersededBy: TUESDAY });
    expect(await tiers()).toEqual(afterTuesday);
    expect(await count('select count(*) as n from tier_changes where job_key = ? and slot = ?', [key, new Date(MONDAY)])).toBe(0);
    expect(await count('select count(*) as n from tier_changes where job_key = ?', [key])).toBe(history);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.type') = 'vip.tier_changed' and json_value(payload, '$.slot') = ?", [MONDAY])).toBe(0);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.type') = 'vip.tier_changed'")).toBe(events);
    expect(await count('select count(*) as n from job_checkpoints where job_key = ? and nominal_time = ?', [key, new Date(MONDAY)])).toBe(0);

    const row = await ledgerRow(key, MONDAY);
    expect(row).toMatchObject({ status: 'superseded', result: { supersededBy: TUESDAY }, error_type: 'Superseded' });
    expect(row.error_message).toContain(TUESDAY);
    // The workflow completes: Temporal visibility has no failure to report either.
    expect((await monday.handle.describe()).status.name).toBe('COMPLETED');

    // A newer slot still runs, and moves the state forward.
    const wednesday = await runSlot(key, 'vip-recalculation', VIP_PARAMS, '2026-11-18T03:00:00.000Z');
    expect(wednesday.summary.status).toBe('succeeded');
    expect(await tiers()).toEqual(await tiersFor('2026-11-18T03:00:00.000Z', VIP_PARAMS.windowDays));
  }, 120_000);

  it('the check cannot race: an older slot waits for the fence row lock of a newer uncommitted chunk, then is refused', async () => {
    const key = `order-race-${randomUUID().slice(0, 6)}`;
    const em = h.orm.em.fork();
    await ensureFenceRow(em, key);
    let commitTuesday!: () => void;
    let tuesdayHolds!: () => void;
    const tuesdayMayCommit = new Promise<void>((r) => (commitTuesday = r));
    const tuesdayHoldsRow = new Promise<void>((r) => (tuesdayHolds = r));
    const tuesday = h.orm.em.fork().transactional(async (tx) => {
      await guardSlotOrder(tx, key, 'vip-recalculation', new Date(TUESDAY));
      tuesdayHolds();
      await tuesdayMayCommit;
    });
    // Tuesday's chunk has passed the check and holds the row, uncommitted, before Monday's starts.
    await tuesdayHoldsRow;
    const monday = h.orm.em.fork().transactional((tx) => guardSlotOrder(tx, key, 'vip-recalculation', new Date(MONDAY)));
    const mondayOutcome = monday.then(
      () => 'ran',
      (err: { type?: string; details?: unknown[] }) => err,
    );
    try {
      // Monday's locked read waits behind Tuesday's uncommitted transaction (a plain read would not).
      await eventually(
        async () =>
          (await count("select count(*) as n from information_schema.processlist where command = 'Query' and info like ? and info not like '%processlist%'", [`%job_fences%${key}%`])) === 1,
      );
    } finally {
      commitTuesday();
      await tuesday;
    }
    expect(await mondayOutcome).toMatchObject({ type: 'Superseded', details: [{ slot: MONDAY, supersededBy: TUESDAY }] });
    const [fence] = await h.sql<Array<{ state_slot: string }>>('select state_slot from job_fences where job_key = ?', [key]);
    expect(fence.state_slot).toBe('2026-11-17 03:00:00.000');
  }, 60_000);
});

describe('latest-state: cache-warming', () => {
  it("a late run of Monday's slot leaves Tuesday's cache entries and ends superseded naming Tuesday", async () => {
    const key = 'order-cache';
    const params = { topProducts: 10, vipProfiles: 100, ttlSeconds: 600 };
    const tuesday = await runSlot(key, 'cache-warming', params, TUESDAY);
    expect(tuesday.summary.status).toBe('succeeded');
    const top = await h.redis.get(TOP_PRODUCTS_KEY);
    expect(JSON.parse(top!)).toMatchObject({ slot: TUESDAY });
    const [vip] = await h.sql<Array<{ id: number }>>("select u.id from users u join vip_tiers t on t.tier = u.tier where t.`rank` >= 1 order by u.id limit 1");
    const profile = await h.redis.get(profileKey(vip.id));
    expect(JSON.parse(profile!)).toMatchObject({ asOf: TUESDAY });

    const monday = await runSlot(key, 'cache-warming', params, MONDAY);
    expect(monday.summary).toMatchObject({ status: 'superseded', supersededBy: TUESDAY });
    expect(await h.redis.get(TOP_PRODUCTS_KEY)).toBe(top);
    expect(await h.redis.get(profileKey(vip.id))).toBe(profile);
    expect(await ledgerRow(key, MONDAY)).toMatchObject({ status: 'superseded', result: { supersededBy: TUESDAY } });
  }, 60_000);
});

describe('period-keyed kinds re-run older slots as before', () => {
  it("report-generation: Monday's report after Tuesday's is generated", async () => {
    const key = 'order-report';
    const params = { period: 'day', reportKind: 'order-daily' };
    expect((await runSlot(key, 'report-generation', params, TUESDAY)).summary.status).toBe('succeeded');
    const monday = await runSlot(key, 'report-generation', params, MONDAY);
    expect(monday.summary.status).toBe('succeeded');
    expect(monday.summary.result?.counts).toEqual({ generated: 1, existing: 0 });
    const labels = (await h.sql<Array<{ label: string }>>('select label from reports where kind = ? order by label', ['order-daily'])).map((r) => r.label);
    expect(labels).toEqual(['2026-11-15', '2026-11-16']);
    expect((await ledgerRow(key, MONDAY)).status).toBe('succeeded');
  }, 60_000);

  it("synthetic: Monday's slot after Tuesday's runs every chunk", async () => {
    const key = 'order-synthetic';
    const params = { chunks: 2, chunkMs: 0 };
    expect((await runSlot(key, 'synthetic', params, TUESDAY)).summary.status).toBe('succeeded');
    const monday = await runSlot(key, 'synthetic', params, MONDAY);
    expect(monday.summary).toMatchObject({ status: 'succeeded', result: { chunks: 2, counts: { chunks: 2 } } });
  }, 60_000);
});
