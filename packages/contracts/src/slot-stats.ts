import { Type, type Static } from '@sinclair/typebox';

/** Verdict counts of a day or range: `{ succeeded: 1438, failed: 2 }` (statuses with none are absent). */
export const VerdictCountsSchema = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

/** One job's slots on one UTC day. */
export const SlotDayStatsSchema = Type.Object({
  day: Type.String({ format: 'date', description: 'UTC day (YYYY-MM-DD)' }),
  total: Type.Integer({ minimum: 0 }),
  counts: VerdictCountsSchema,
  /** Slots still planned or running (not in `total` or `counts` until they have a verdict). */
  open: Type.Integer({ minimum: 0 }),
  /** Slots with both a start and an end, over which the durations are taken. */
  timedRuns: Type.Integer({ minimum: 0 }),
  p50Ms: Type.Union([Type.Integer(), Type.Null()]),
  p95Ms: Type.Union([Type.Integer(), Type.Null()]),
  /** `rollup`: the daily roll-up written by data-cleanup; `ledger`: computed now from the raw slots. */
  source: Type.Union([Type.Literal('rollup'), Type.Literal('ledger')]),
});
export type SlotDayStats = Static<typeof SlotDayStatsSchema>;

/** GET /v1/jobs/:key/stats: a job's slot verdicts and durations per UTC day over [from, to). */
export const JobStatsSchema = Type.Object({
  jobKey: Type.String(),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  /** Days with at least one slot, oldest first. */
  days: Type.Array(SlotDayStatsSchema),
  totals: Type.Object({ total: Type.Integer({ minimum: 0 }), counts: VerdictCountsSchema }),
});
export type JobStats = Static<typeof JobStatsSchema>;
