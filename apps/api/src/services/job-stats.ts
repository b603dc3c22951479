import type { JobStats, SlotDayStats } from '@timekeeper/contracts';
import { addDays, aggregateSlotDays, dayString, newestRollupDay, readSlotDays, type MikroORM, type SlotDayRow } from '@timekeeper/db';

const dayAt = (day: string) => new Date(`${day}T00:00:00.000Z`);

/**
 * A job's slots per UTC day over [from, to): days up to the newest rolled-up day come from the daily
 * roll-ups (job_slot_days, a row per day), later days are computed now from the raw ledger with the
 * same rule (aggregateSlotDays), so a year costs a year of rows, not half a million slots.
 */
export async function jobStats(orm: MikroORM, jobKey: string, from: string, to: string): Promise<JobStats> {
  const em = orm.em.fork();
  const newest = await newestRollupDay(em);
  const liveFrom = newest && newest >= from ? dayString(addDays(dayAt(newest), 1)) : from;
  const stored = liveFrom > from ? await readSlotDays(em, jobKey, from, liveFrom < to ? liveFrom : to) : [];
  const live = liveFrom < to ? await aggregateSlotDays(em, { jobKeys: [jobKey], from: dayAt(liveFrom), to: dayAt(to) }) : [];
  const view = (r: SlotDayRow, source: SlotDayStats['source']): SlotDayStats => ({
    day: r.day,
    total: r.total,
    counts: r.counts,
    open: r.open,
    timedRuns: r.timedRuns,
    p50Ms: r.p50Ms,
    p95Ms: r.p95Ms,
    source,
  });
  const days = [...stored.map((r) => view(r, 'rollup')), ...live.map((r) => view(r, 'ledger'))];
  const counts: Record<string, number> = {};
  for (const d of days) for (const [status, n] of Object.entries(d.counts)) counts[status] = (counts[status] ?? 0) + n;
  return { jobKey, from, to, days, totals: { total: days.reduce((s, d) => s + d.total, 0), counts } };
}
