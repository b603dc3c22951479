import { slotOrderOf, type JobKind } from '@timekeeper/contracts';
import type { ChaosJob } from '../workload/jobs';
import type { KafkaRecord } from './kafka';
import { marks, ms, type Sql } from './sql';

/** One duplicate-effect check: how many effect keys were seen, and how many of them more than once. */
export type DuplicateCheck = { kind: JobKind; effect: string; keys: number; duplicates: number };

/** An older slot committing a chunk after a newer slot of the same job had committed that chunk. */
export type StaleOverwrite = { jobKey: string; slot: number; chunk: number; newerSlot: number };

// A latest-state kind writes "the current state": an older slot must never commit over a newer one.
const isLatestState = (kind: JobKind) => slotOrderOf(kind) === 'latest-state';

/** Distinct event ids per effect key among the events of one type; a key with two ids happened twice. */
function eventCheck(kind: JobKind, effect: string, records: KafkaRecord[], type: string, keyOf: (v: Record<string, unknown>) => string): DuplicateCheck {
  const ids = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.value.type !== type) continue;
    const k = keyOf(r.value);
    const set = ids.get(k) ?? new Set<string>();
    set.add(r.eventId ?? `${r.topic}:${JSON.stringify(r.value)}`);
    ids.set(k, set);
  }
  return { kind, effect, keys: ids.size, duplicates: [...ids.values()].filter((s) => s.size > 1).length };
}

async function rowCheck(sql: Sql, kind: JobKind, effect: string, table: string, groupBy: string, jobKeys: string[]): Promise<DuplicateCheck> {
  if (!jobKeys.length) return { kind, effect, keys: 0, duplicates: 0 };
  const [row] = await sql<{ keys: number; duplicates: number }>(
    `select count(*) as \`keys\`, coalesce(sum(n > 1), 0) as duplicates
     from (select count(*) as n from ${table} where job_key in (${marks(jobKeys)}) group by ${groupBy}) g`,
    jobKeys,
  );
  return { kind, effect, keys: Number(row.keys), duplicates: Number(row.duplicates) };
}

/**
 * Duplicate effects per kind: tier history rows per (user, slot), report rows per period, and on
 * Kafka the distinct event ids per effect (a redelivered message keeps its id; a re-applied chunk
 * gets a new one).
 */
export async function duplicateEffects(sql: Sql, jobs: ChaosJob[], events: KafkaRecord[]): Promise<DuplicateCheck[]> {
  const keysOf = (kind: JobKind) => jobs.filter((j) => j.kind === kind).map((j) => j.key);
  const ours = new Set(jobs.map((j) => j.key));
  const mine = events.filter((r) => ours.has(String(r.value.jobKey)));
  return [
    await rowCheck(sql, 'vip-recalculation', 'tier history rows per (user, slot)', 'tier_changes', 'job_key, user_id, slot', keysOf('vip-recalculation')),
    eventCheck('vip-recalculation', 'vip.tier_changed event ids per (user, slot)', mine, 'vip.tier_changed', (v) => `${v.jobKey}|${v.slot}|${v.userId}`),
    await rowCheck(sql, 'report-generation', 'report rows per period', 'reports', 'kind, period, period_start', keysOf('report-generation')),
    eventCheck('report-generation', 'report.generated event ids per period', mine, 'report.generated', (v) => `${v.kind}|${v.period}|${v.label}`),
    eventCheck('synthetic', 'synthetic.chunk event ids per (slot, chunk)', mine, 'synthetic.chunk', (v) => `${v.jobKey}|${v.slot}|${v.chunk}`),
  ];
}

/**
 * For each latest-state job, checkpoints in commit order (ids: a job's chunk transactions are
 * serialised by its fence row): a chunk committed by a slot older than one that already committed
 * the same chunk put older state over newer.
 */
export async function staleOverwrites(sql: Sql, jobs: ChaosJob[]): Promise<StaleOverwrite[]> {
  const keys = jobs.filter((j) => isLatestState(j.kind)).map((j) => j.key);
  if (!keys.length) return [];
  const rows = await sql<{ job_key: string; nominal_time: Date; chunk: number }>(
    `select job_key, nominal_time, chunk from job_checkpoints where job_key in (${marks(keys)}) order by id`,
    keys,
  );
  const newest = new Map<string, number>();
  const out: StaleOverwrite[] = [];
  for (const r of rows) {
    const k = `${r.job_key}|${r.chunk}`;
    const slot = ms(r.nominal_time);
    const seen = newest.get(k);
    if (seen !== undefined && slot < seen) out.push({ jobKey: r.job_key, slot, chunk: r.chunk, newerSlot: seen });
    else newest.set(k, slot);
  }
  return out;
}
