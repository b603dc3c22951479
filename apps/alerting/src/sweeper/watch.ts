import { utcDate, type MikroORM } from '@timekeeper/db';
import type { ScheduleSnapshot } from './schedule-progress';

/**
 * What the sweeper keeps per job between passes, in MySQL so a standby taking the lease carries on:
 * the schedule spec its planned rows came from, how far ahead they reach, and Temporal's counters
 * at recent points of the scheduler's progress (to tell an overlap skip from a catch-up miss).
 */
export type Watch = {
  jobKey: string;
  specHash: string | null;
  scheduleCreatedAt: Date | null;
  /** Planned rows exist up to here; null: none planned (new job, or paused in Timekeeper). */
  plannedUntil: Date | null;
  snapshots: ScheduleSnapshot[];
};

type Row = { job_key: string; spec_hash: string | null; schedule_created_at: string | null; planned_until: string | null; snapshots: ScheduleSnapshot[] | string };

const BATCH = 500;

export async function loadWatches(orm: MikroORM): Promise<Map<string, Watch>> {
  const rows = await orm.em.fork().execute<Row[]>('select job_key, spec_hash, schedule_created_at, planned_until, snapshots from job_schedule_watch');
  return new Map(
    rows.map((r) => [
      r.job_key,
      {
        jobKey: r.job_key,
        specHash: r.spec_hash,
        scheduleCreatedAt: utcDate(r.schedule_created_at),
        plannedUntil: utcDate(r.planned_until),
        snapshots: typeof r.snapshots === 'string' ? (JSON.parse(r.snapshots) as ScheduleSnapshot[]) : r.snapshots,
      },
    ]),
  );
}

/** Upserts the changed watches, a few hundred per statement. */
export async function saveWatches(orm: MikroORM, watches: Watch[]): Promise<void> {
  const em = orm.em.fork();
  const now = new Date();
  for (let i = 0; i < watches.length; i += BATCH) {
    const batch = watches.slice(i, i + BATCH);
    const params = batch.flatMap((w) => [w.jobKey, w.specHash, w.scheduleCreatedAt, w.plannedUntil, JSON.stringify(w.snapshots), now]);
    await em.execute(
      `insert into job_schedule_watch (job_key, spec_hash, schedule_created_at, planned_until, snapshots, updated_at)
       values ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       on duplicate key update spec_hash = values(spec_hash), schedule_created_at = values(schedule_created_at),
         planned_until = values(planned_until), snapshots = values(snapshots), updated_at = values(updated_at)`,
      params,
      'run',
    );
  }
}

export async function deleteWatch(orm: MikroORM, jobKey: string): Promise<void> {
  await orm.em.fork().execute('delete from job_schedule_watch where job_key = ?', [jobKey], 'run');
}
