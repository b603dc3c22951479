import type { EntityManager } from '@timekeeper/db';

/** A slot a job's schedule is expected to fire (see expectedSlots in @timekeeper/scheduling). */
export type PlannedSlot = {
  at: Date;
  /** false: the job's DST policy skips this wall time; its row says so at once (skipped, dst_policy), and no alert follows. */
  fires: boolean;
  note?: string;
};

// One statement per batch keeps 2,000 jobs × a day of one-minute slots cheap to write.
const BATCH = 500;

/**
 * Writes `planned` rows for expected slots. INSERT IGNORE: a slot that already has a row (started,
 * judged, or planned before) keeps it. Returns the rows added.
 */
export async function insertPlannedSlots(em: EntityManager, jobKey: string, kind: string, slots: PlannedSlot[]): Promise<number> {
  let added = 0;
  const now = new Date();
  for (let i = 0; i < slots.length; i += BATCH) {
    const batch = slots.slice(i, i + BATCH);
    const params: unknown[] = [];
    for (const s of batch) {
      params.push(jobKey, s.at, kind, s.fires ? 'planned' : 'skipped', s.fires ? null : 'dst_policy', s.fires ? null : (s.note ?? 'skipped by the job’s DST policy').slice(0, 4000), now, now);
    }
    const res = await em.execute<{ affectedRows?: number }>(
      `insert ignore into job_slots (job_key, nominal_time, kind, status, error_type, error_message, runs, revision, report_pending, created_at, updated_at)
       values ${batch.map(() => '(?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)').join(', ')}`,
      params,
      'run',
    );
    added += res.affectedRows ?? 0;
  }
  return added;
}

/** Removes a job's planned rows (and its DST policy's skipped slots) at or after `from` (all of them without it); history stays. */
export async function removePlannedSlots(em: EntityManager, jobKey: string, from?: Date): Promise<number> {
  const res = await em.execute<{ affectedRows?: number }>(
    `delete from job_slots where job_key = ? and (status = 'planned' or (status = 'skipped' and error_type = 'dst_policy' and runs = 0))${from ? ' and nominal_time >= ?' : ''}`,
    from ? [jobKey, from] : [jobKey],
    'run',
  );
  return res.affectedRows ?? 0;
}

/** The schedule changed: planned rows from `from` on are replaced by the new expectation, in one transaction. */
export async function replacePlannedSlots(em: EntityManager, jobKey: string, kind: string, from: Date, slots: PlannedSlot[]): Promise<number> {
  return em.transactional(async (tx) => {
    await removePlannedSlots(tx, jobKey, from);
    return insertPlannedSlots(tx, jobKey, kind, slots.filter((s) => s.at >= from));
  });
}
