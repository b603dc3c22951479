import type { EntityManager } from '@timekeeper/db';
import type { SlotStatus } from '@timekeeper/db';
import { alertOfVerdict, SLOT_OUTCOME_KINDS } from './verdicts';

/**
 * What a judged slot says about its job's health, for the noise controls: `bad` (a verdict that raises
 * a slot alert), `good` (succeeded) or `neutral` (superseded, the job's own pause, a DST gap, a
 * maintenance window): neutral slots neither break a streak nor extend it.
 */
export type SlotHealth = 'bad' | 'good' | 'neutral';

export function healthOf(row: { status: SlotStatus | string; error_type: string | null }): SlotHealth {
  if (row.status === 'succeeded') return 'good';
  const alert = alertOfVerdict({ status: row.status as SlotStatus, errorType: row.error_type });
  return alert && SLOT_OUTCOME_KINDS.includes(alert.kind) && alert.severity !== 'info' ? 'bad' : 'neutral';
}

const TERMINAL = "('succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed', 'paused')";

/**
 * Judged slots of a job next to a slot, nearest first: at or before it (`before`, newest first) or
 * after it (`after`, oldest first). Open slots (planned, running) are left out: they have no verdict
 * yet, so they do not break a streak; a verdict that lands later is counted when it is reported.
 */
export async function judgedNear<T extends { status: string; error_type: string | null }>(
  em: EntityManager,
  columns: string,
  jobKey: string,
  slot: Date,
  side: 'before' | 'after',
  limit: number,
): Promise<T[]> {
  return em.execute<T[]>(
    `select ${columns} from job_slots where job_key = ? and nominal_time ${side === 'before' ? '<=' : '>'} ? and status in ${TERMINAL}
     order by nominal_time ${side === 'before' ? 'desc' : 'asc'} limit ?`,
    [jobKey, slot, limit],
  );
}

/** How many slots of the given health lead the list (neutral ones skipped). */
export function leading(rows: ReadonlyArray<{ status: string; error_type: string | null }>, health: 'bad' | 'good'): number {
  let n = 0;
  for (const r of rows) {
    const h = healthOf(r);
    if (h === 'neutral') continue;
    if (h !== health) break;
    n++;
  }
  return n;
}
