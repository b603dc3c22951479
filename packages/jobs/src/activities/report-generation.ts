import type { EntityManager } from '@timekeeper/db';
import type { JobDeps } from '../deps';
import type { ChunkedJob } from '../runner/chunked';
import { previousPeriod } from '../time/periods';
import { parseParams } from './params';

export type SalesSummary = {
  revenue: number;
  orders: { total: number; paid: number; refunded: number; cancelled: number; pending: number };
  averageOrderValue: number;
  newUsers: number;
  /** Users signed up before the period end, by tier at the period end (rebuilt from tier history). */
  tiers: Record<string, number>;
};

/** The report's figures for [start, end): every query is bounded by the period, never by "now". */
export async function computeSalesSummary(
  tx: EntityManager,
  start: Date,
  end: Date,
): Promise<SalesSummary> {
  const byStatus = await tx.execute<Array<{ status: string; n: number; amount: number }>>(
    'select status, count(*) as n, coalesce(sum(amount), 0) as amount from orders where created_at >= ? and created_at < ? group by status',
    [start, end],
  );
  const orders = { total: 0, paid: 0, refunded: 0, cancelled: 0, pending: 0 };
  let revenue = 0;
  for (const r of byStatus) {
    orders.total += Number(r.n);
    if (r.status in orders) orders[r.status as keyof typeof orders] = Number(r.n);
    if (r.status === 'paid') revenue = Number(r.amount);
  }
  const [users] = await tx.execute<Array<{ n: number }>>('select count(*) as n from users where created_at >= ? and created_at < ?', [start, end]);
  const tierRows = await tx.execute<Array<{ tier: string; n: number }>>(
    `select tier, count(*) as n from (
       select coalesce((select c.to_tier from tier_changes c where c.user_id = u.id and c.changed_at < ?
                        order by c.changed_at desc, c.id desc limit 1), 'standard') as tier
       from users u where u.created_at < ?
     ) x group by tier order by tier`,
    [end, end],
  );
  const tiers = Object.fromEntries(tierRows.map((r) => [r.tier, Number(r.n)]));
  return {
    revenue: Math.round(revenue * 100) / 100,
    orders,
    averageOrderValue: orders.paid ? Math.round((revenue / orders.paid) * 100) / 100 : 0,
    newUsers: Number(users?.n ?? 0),
    tiers,
  };
}

/**
 * One report per (kind, period): the period before the slot in the job's time zone. A report that
 * already exists is left untouched (no second row, no second event).
 */
export function reportGenerationJob(_deps: JobDeps): ChunkedJob {
  return {
    kind: 'report-generation',
    // One phase: the report is computed and stored in a single chunk.
    progress: { estimate: async () => ({ unit: 'phases', total: 1 }) },
    async step({ tx, slot, input }) {
      const p = parseParams('report-generation', input.params);
      const range = previousPeriod(p.period, slot, input.timezone);
      const existing = await tx.execute<Array<{ id: number }>>(
        'select id from reports where kind = ? and period = ? and period_start = ? for update',
        [p.reportKind, p.period, range.start],
      );
      if (existing.length) return { cursor: null, counts: { generated: 0, existing: 1 } };
      const summary = await computeSalesSummary(tx, range.start, range.end);
      const res = await tx.execute<{ insertId: number }>(
        `insert into reports (kind, period, period_start, period_end, timezone, label, payload, job_key, slot, generated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [p.reportKind, p.period, range.start, range.end, input.timezone, range.label, JSON.stringify(summary), input.jobKey, slot, new Date()],
        'run',
      );
      return {
        cursor: null,
        counts: { generated: 1, existing: 0 },
        events: [
          {
            key: `${p.reportKind}:${p.period}:${range.label}`,
            type: 'report.generated',
            payload: {
              reportId: res.insertId,
              kind: p.reportKind,
              period: p.period,
              label: range.label,
              timezone: input.timezone,
              periodStart: range.start.toISOString(),
              periodEnd: range.end.toISOString(),
              revenue: summary.revenue,
              orders: summary.orders.total,
              newUsers: summary.newUsers,
              jobKey: input.jobKey,
              slot: slot.toISOString(),
            },
          },
        ],
      };
    },
  };
}
