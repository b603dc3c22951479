import type { Harness } from './harness';

/** Reads of the alerts and ledger tables as the sweeper tests assert on them (raw rows, MySQL's time format). */
export type AlertRow = { id: number; slot: string; kind: string; reason: string; status: string; count: number; recovered_at: string | null; resolved_by: string | null; note: string | null };

export const alertRowsOf = (h: Harness, jobKey: string): Promise<AlertRow[]> =>
  h.sql<AlertRow[]>('select id, slot, kind, reason, status, count, recovered_at, resolved_by, note from alerts where job_key = ? order by slot, id', [jobKey]);

export const slotRowOf = async (h: Harness, jobKey: string, slot: Date): Promise<Record<string, unknown> | undefined> =>
  (await h.sql<Array<Record<string, unknown>>>('select * from job_slots where job_key = ? and nominal_time = ?', [jobKey, slot]))[0];

/** A time as a DATETIME(3) column reads back: `2026-12-01 10:00:00.000`. */
export const sqlTime = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');
