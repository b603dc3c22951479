import { TERMINAL_SLOT_STATUSES } from '@timekeeper/db';
import { STALE_FENCE } from '@timekeeper/jobs';
import type { ExpectedSlots } from './expected';
import { marks, ms, type Sql } from './sql';

export type SlotRef = { jobKey: string; slot: number };

export type SlotAssessment = {
  expected: number;
  terminal: number;
  alerted: number;
  /** Expected slots with neither a terminal verdict nor an alert. */
  lost: SlotRef[];
  /** Slots up to the end of the window still `running`. */
  stuck: SlotRef[];
  /** Expected slots by ledger status ('none' without a row). */
  verdicts: Record<string, number>;
  /** Failed verdicts by error type (all slots of the chaos jobs). */
  failures: Record<string, number>;
  /** Slots whose final verdict is a stale-fence rejection: the legitimate holder's token was behind. */
  staleFenceVerdicts: number;
  /** Expected slots the schedule skipped (overlap): ledger `skipped` or a `missed` alert for overlap. */
  skipped: SlotRef[];
};

const TERMINAL = new Set<string>(TERMINAL_SLOT_STATUSES);
const keyOf = (jobKey: string, slot: number) => `${jobKey}|${slot}`;

/** Expected slots against the ledger and the alerts, as they stand now. */
export async function assessSlots(sql: Sql, expected: ExpectedSlots, end: number): Promise<SlotAssessment> {
  const jobKeys = [...expected.keys()];
  const rows = await sql<{ job_key: string; nominal_time: Date; status: string; error_type: string | null }>(
    `select job_key, nominal_time, status, error_type from job_slots where job_key in (${marks(jobKeys)})`,
    jobKeys,
  );
  const alerts = await sql<{ job_key: string; slot: Date; kind: string; reason: string }>(
    `select job_key, slot, kind, reason from alerts where job_key in (${marks(jobKeys)})`,
    jobKeys,
  );
  const status = new Map(rows.map((r) => [keyOf(r.job_key, ms(r.nominal_time)), r.status]));
  const alerted = new Set(alerts.map((a) => keyOf(a.job_key, ms(a.slot))));
  const overlapSkipped = new Set(alerts.filter((a) => a.kind === 'missed' && a.reason === 'overlap_skip').map((a) => keyOf(a.job_key, ms(a.slot))));

  const out: SlotAssessment = { expected: 0, terminal: 0, alerted: 0, lost: [], stuck: [], verdicts: {}, failures: {}, staleFenceVerdicts: 0, skipped: [] };
  for (const [jobKey, slots] of expected) {
    for (const slot of slots) {
      const k = keyOf(jobKey, slot);
      const s = status.get(k);
      out.expected++;
      out.verdicts[s ?? 'none'] = (out.verdicts[s ?? 'none'] ?? 0) + 1;
      const isTerminal = s !== undefined && TERMINAL.has(s);
      if (isTerminal) out.terminal++;
      if (alerted.has(k)) out.alerted++;
      if (!isTerminal && !alerted.has(k)) out.lost.push({ jobKey, slot });
      if (s === 'skipped' || overlapSkipped.has(k)) out.skipped.push({ jobKey, slot });
    }
  }
  for (const r of rows) {
    if (r.status === 'running' && ms(r.nominal_time) <= end) out.stuck.push({ jobKey: r.job_key, slot: ms(r.nominal_time) });
    if (r.status === 'failed') out.failures[r.error_type ?? '?'] = (out.failures[r.error_type ?? '?'] ?? 0) + 1;
    if (r.status === 'failed' && r.error_type === STALE_FENCE) out.staleFenceVerdicts++;
  }
  return out;
}
