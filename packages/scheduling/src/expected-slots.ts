import type { Client } from '@temporalio/client';
import { matchingTimes } from './fire-times';

/** A slot a job's schedule is expected to fire; the slot ledger plans one row per entry. */
export type ExpectedSlot = {
  /** Nominal time (what Temporal appends to the workflow id and sets as TemporalScheduledStartTime). */
  at: Date;
  /**
   * false: the job's cron names this wall time but Temporal will not fire it (a DST gap or repeat);
   * the ledger records the slot as missed (reason dst) instead of expecting a run.
   */
  fires: boolean;
  note?: string;
};

export type ExpectedSlotsQuery = { scheduleId: string; timezone: string; cron?: string | null; jitterMs?: number };

/**
 * The one place the slots a job's schedule will fire in [from, to) are computed, at most `max` of
 * them, from Temporal's own matcher (so the times are exactly the ones the schedule starts, DST
 * included). The DST policy of a job decides which wall times it fires; this is where that lands.
 */
export async function expectedSlots(client: Client, job: ExpectedSlotsQuery, from: Date, to: Date, max: number): Promise<ExpectedSlot[]> {
  if (to <= from) return [];
  const times = await matchingTimes(client, job.scheduleId, from, max, to.getTime() - from.getTime());
  return times.filter((t) => t < to).map((at) => ({ at, fires: true }));
}
