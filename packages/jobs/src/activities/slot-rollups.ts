import {
  addDays,
  aggregateSlotDays,
  dayString,
  firstSlotTimeFrom,
  foldLateSlots,
  hasOpenRollups,
  lateSlotJobsAfter,
  lastFinalRollupDay,
  openRollupJobsAfter,
  markRolledUp,
  readRollupMarks,
  replaceSlotDays,
  slotJobKeysAfter,
  utcDayStart,
  type EntityManager,
} from '@timekeeper/db';

/**
 * The roll-up phase of data-cleanup (issue 13): before raw slots pass their retention, every UTC day
 * that has slots is summarised per job into job_slot_days (aggregateSlotDays), in chunks of
 * `jobsPerChunk` jobs, one short transaction each (plain reads, a few row writes). A day is rolled up
 * once it is `afterDays` old (provisional: its verdicts have settled), and again, finally, once it is
 * older than the retention cutoff, just before its raw rows may be deleted (deletableBefore). Days
 * that are final are never recomputed from what is left of them, except for the jobs whose roll-up
 * counted open (planned or running) slots: their raw rows of that day are kept until then. A slot that
 * lands in a final day afterwards (a backfill reaching past the retention) is added to its job's
 * roll-up once it has a verdict (foldLateSlots): the day is taken up again for those jobs only.
 */
export type RollupWindow = {
  /** The cleanup run's slot: only days that ended `afterDays` before it are rolled up. */
  slot: Date;
  /** Raw slots before this may be deleted; days before its day are rolled up finally. */
  cutoff: Date;
  afterDays: number;
  jobsPerChunk: number;
};

const dayAt = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** The first day at or after `from` that has slots and needs rolling up (none yet, or final now due), or null. */
async function nextDay(tx: EntityManager, from: Date, w: RollupWindow): Promise<string | null> {
  const limit = addDays(utcDayStart(w.slot), -w.afterDays);
  const finalBefore = utcDayStart(w.cutoff);
  let day = from;
  while (day < limit) {
    const first = await firstSlotTimeFrom(tx, day);
    if (!first || first >= limit) return null;
    day = utcDayStart(first);
    const mark = (await readRollupMarks(tx, dayString(day), dayString(addDays(day, 1)))).get(dayString(day));
    if (!mark || (!mark.final && day < finalBefore)) return dayString(day);
    if (mark.final && ((await hasOpenRollups(tx, dayString(day))) || (await lateSlotJobsAfter(tx, dayString(day), '', 1)).length > 0)) return dayString(day);
    day = addDays(day, 1);
  }
  return null;
}

/**
 * One chunk: roll up the next jobs of the current day. The cursor is `<day>:<last job key done>`
 * (empty: from the oldest slot). Returns the next cursor, or null when no day needs work.
 */
export async function rollupChunk(tx: EntityManager, cursor: string, w: RollupWindow): Promise<{ next: string | null; rolled: number }> {
  let day = cursor.slice(0, 10);
  const after = cursor.slice(11);
  if (!day) {
    // From the oldest slot: the ledger holds little more than the retention, and final days are skipped.
    const found = await nextDay(tx, new Date(0), w);
    if (!found) return { next: null, rolled: 0 };
    day = found;
  }
  const from = dayAt(day);
  // A final day: only the jobs whose roll-up still had open slots (nothing of theirs was deleted:
  // recomputed), and those with slots that landed after their roll-up (added to it).
  const final = (await readRollupMarks(tx, day, dayString(addDays(from, 1)))).get(day)?.final ?? false;
  let keys: string[];
  let rolled = 0;
  if (final) {
    const open = await openRollupJobsAfter(tx, day, after, w.jobsPerChunk);
    const late = await lateSlotJobsAfter(tx, day, after, w.jobsPerChunk);
    keys = [...new Set([...open, ...late])].sort().slice(0, w.jobsPerChunk);
    const recompute = keys.filter((k) => open.includes(k));
    const rows = await aggregateSlotDays(tx, { jobKeys: recompute, from, to: addDays(from, 1) });
    await replaceSlotDays(tx, day, recompute, rows);
    rolled += rows.length;
    for (const key of keys.filter((k) => !open.includes(k))) if (await foldLateSlots(tx, day, key)) rolled++;
  } else {
    keys = await slotJobKeysAfter(tx, after, w.jobsPerChunk);
    const rows = await aggregateSlotDays(tx, { jobKeys: keys, from, to: addDays(from, 1) });
    await replaceSlotDays(tx, day, keys, rows);
    rolled += rows.length;
  }
  if (keys.length === w.jobsPerChunk) return { next: `${day}:${keys[keys.length - 1]}`, rolled };
  // Every job of the day is done.
  await markRolledUp(tx, day, from < utcDayStart(w.cutoff));
  const following = await nextDay(tx, addDays(from, 1), w);
  return { next: following ? `${following}:` : null, rolled };
}

/**
 * Where raw slot deletion must stop: the retention cutoff, but never past the last day whose roll-up
 * is final (no roll-up yet: nothing may go), so no slot is deleted before it is counted. Rows of a
 * job and day whose roll-up counted open slots are kept too (notInOpenRollup, in the delete itself).
 */
export async function deletableBefore(tx: EntityManager, cutoff: Date): Promise<Date> {
  const lastFinal = await lastFinalRollupDay(tx);
  if (!lastFinal) return new Date(0);
  const end = addDays(dayAt(lastFinal), 1);
  return end < cutoff ? end : cutoff;
}
