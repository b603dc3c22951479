import type { FaultRecord } from '../faults/timeline';
import type { ChaosJob } from '../workload/jobs';
import type { SlotRef } from './slots';
import { marks, ms, type Sql } from './sql';

export type Window = { start: number; end: number };

export type CommitLatency = {
  during: { samples: number; p99: number | null };
  outside: { samples: number; p99: number | null };
  /** p99 during the outage / p99 outside it; null when either side has too few samples to say. */
  ratio: number | null;
  minSamples: number;
};

export type SkipRates = { during: { skipped: number; expected: number }; outside: { skipped: number; expected: number } };

// Every other fault slows commits for reasons of its own: its window (and this long after, for
// retries, lock leases and heartbeat timeouts to play out) is left out of both sides. A worker kill
// only stretches the intervals of the slots it was running, which span the kill instant; the few
// seconds after it are the restarted process's start-up.
const AFTER_MS: Partial<Record<FaultRecord['kind'], number>> = {
  'worker-kill': 3_000,
  'lock-holder-stop': 20_000,
  'redis-kill': 20_000,
  'mariadb-kill': 20_000,
  // Temporal back up starts every slot it missed at once, for a while.
  'temporal-restart': 20_000,
};
const MIN_SAMPLES = 20;

const overlaps = (a: Window, b: Window) => a.start <= b.end && b.start <= a.end;

export function p99(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)];
}

export function outageWindows(records: FaultRecord[]): Window[] {
  return records.filter((r) => r.kind === 'kafka-outage' && r.ok).map((r) => ({ start: r.start, end: r.end }));
}

function disturbedWindows(records: FaultRecord[]): Window[] {
  return records.flatMap((r) => (AFTER_MS[r.kind] === undefined ? [] : [{ start: r.start, end: r.end + AFTER_MS[r.kind]! }]));
}

/**
 * The backfill is extra work, not a fault of the commit path: its runs (the job's older slots started
 * after the backfill began, one after another for the job's lock) load the machine for as long as they
 * last, so that span, read from the ledger, is left out of both sides like the other faults' windows.
 */
async function backfillRuns(sql: Sql, records: FaultRecord[], backfill: { jobKey: string } | undefined): Promise<Window[]> {
  const record = records.find((r) => r.kind === 'backfill' && r.ok);
  if (!record || !backfill) return [];
  const [row] = await sql<{ last: Date | null }>(
    'select max(finished_at) as last from job_slots where job_key = ? and nominal_time < ? and started_at >= ?',
    [backfill.jobKey, new Date(record.start), new Date(record.start)],
  );
  return [{ start: record.start, end: Math.max(record.end, row?.last ? ms(row.last) : record.end) + 3_000 }];
}

/**
 * Chunk commit latency of the synthetic load jobs, from the checkpoint timestamps: for each chunk
 * after the first, the time since the slot's previous chunk committed. That is the chunk's fixed work
 * time (100 ms) plus everything on its commit path (fence row, checkpoint, outbox insert, commit),
 * and it includes a commit that stalled and failed before a retry committed it. Only intervals from
 * the window's opening on count: an interval within a span Kafka was fully down counts as during it;
 * one that touches Kafka stopping or starting, another fault's window or the backfill's runs counts
 * on neither side; the rest (between faults, and after
 * the window while the run is being verified) are the baseline.
 */
export async function commitLatency(
  sql: Sql,
  jobs: ChaosJob[],
  records: FaultRecord[],
  window: Window,
  outcome: { backfill?: { jobKey: string }; kafkaDown?: Window[] },
): Promise<CommitLatency> {
  // The load jobs only: one work time per chunk, not the slow and terminating ones.
  const keys = jobs.filter((j) => j.kind === 'synthetic' && j.role === 'load').map((j) => j.key);
  const rows = await sql<{ job_key: string; nominal_time: Date; chunk: number; created_at: Date }>(
    `select job_key, nominal_time, chunk, created_at from job_checkpoints where job_key in (${marks(keys)})
     order by job_key, nominal_time, chunk`,
    keys,
  );
  // During = inside a span Kafka was fully down; the rest of an outage fault (its JVM stopping and
  // starting) counts on neither side.
  const outage = outcome.kafkaDown ?? outageWindows(records);
  const transitions = outcome.kafkaDown ? outageWindows(records) : [];
  const disturbed = [...disturbedWindows(records), ...(await backfillRuns(sql, records, outcome.backfill))];
  const during: number[] = [];
  const outside: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (a.job_key !== b.job_key || ms(a.nominal_time) !== ms(b.nominal_time) || a.chunk !== b.chunk - 1) continue;
    const w = { start: ms(a.created_at), end: ms(b.created_at) };
    // Before the window the apps were still warming up (first runs, JIT): no baseline there.
    if (w.start < window.start || disturbed.some((d) => overlaps(w, d))) continue;
    if (outage.some((o) => w.start >= o.start && w.end <= o.end)) during.push(w.end - w.start);
    else if (!outage.some((o) => overlaps(w, o)) && !transitions.some((t) => overlaps(w, t))) outside.push(w.end - w.start);
  }
  const d = p99(during);
  const o = p99(outside);
  const enough = during.length >= MIN_SAMPLES && outside.length >= MIN_SAMPLES;
  return {
    during: { samples: during.length, p99: d },
    outside: { samples: outside.length, p99: o },
    ratio: enough && d !== null && o ? d / o : null,
    minSamples: MIN_SAMPLES,
  };
}

/** Expected slots the schedule skipped for overlap, by whether their nominal time fell in the outage. */
export function skipRates(expected: Map<string, Set<number>>, skipped: SlotRef[], records: FaultRecord[]): SkipRates {
  const outage = outageWindows(records);
  const inOutage = (t: number) => outage.some((o) => t >= o.start && t <= o.end);
  const out: SkipRates = { during: { skipped: 0, expected: 0 }, outside: { skipped: 0, expected: 0 } };
  for (const slots of expected.values()) for (const t of slots) out[inOutage(t) ? 'during' : 'outside'].expected++;
  for (const s of skipped) out[inOutage(s.slot) ? 'during' : 'outside'].skipped++;
  return out;
}
