import type { Job, MaintenanceWindow } from '@/lib/api/types';

/**
 * The one-off maintenance window holding a job now (by key or tag, not ended), latest end first; the
 * job list shows it as "maintenance until …". Recurring windows are left to the alerting service: their
 * occurrences need the cron evaluated in their zone, which the console does not do.
 */
export function oneOffWindowFor(job: Pick<Job, 'key' | 'tags'>, windows: readonly MaintenanceWindow[], now = Date.now()): MaintenanceWindow | null {
  let best: MaintenanceWindow | null = null;
  for (const w of windows) {
    if (!w.from || !w.to || w.endedAt) continue;
    if (Date.parse(w.from) > now || Date.parse(w.to) <= now) continue;
    if (!w.jobs.includes(job.key) && !w.tags.some((t) => job.tags.includes(t))) continue;
    if (!best || Date.parse(w.to) > Date.parse(best.to!)) best = w;
  }
  return best;
}
