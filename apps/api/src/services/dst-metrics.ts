import type { Registry } from '@timekeeper/runtime';
import { registerScrapedGauge } from '@timekeeper/runtime';
import type { Services } from '.';

/**
 * How far ahead the clock-change plans in the schedules reach (the reconciler keeps it above 13 months;
 * if it runs out, transitions past it fall back to Temporal's own matcher), and in how many zones
 * Temporal's tz data and Node's disagree.
 */
export function registerDstMetrics(registry: Registry, services: Pick<Services, 'orm' | 'tzdataDisagreements'>): void {
  registerScrapedGauge(registry, {
    name: 'timekeeper_dst_plan_ahead_seconds',
    help: 'Seconds until the earliest end of a cron job\'s clock-change plan in its schedules (synced jobs)',
    read: async () => {
      const [row] = await services.orm.em
        .fork()
        .getConnection()
        .execute<{ until: Date | null }[]>("select min(dst_plan_until) as until from job_definitions where cron is not null and deleted_at is null and sync_status = 'synced'");
      return row?.until ? Math.round((new Date(row.until).getTime() - Date.now()) / 1000) : 0;
    },
  });
  registerScrapedGauge(registry, {
    name: 'timekeeper_tzdata_disagreements',
    help: "Zones whose transitions differ between the Temporal server's tz data and Node's ICU",
    read: async () => services.tzdataDisagreements.size,
  });
}
