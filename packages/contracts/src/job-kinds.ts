import { Type, type Static, type TSchema } from '@sinclair/typebox';

// Each batch job kind declares its params here; the API validates definitions against these schemas
// and packages/jobs implements one activity per kind.
export const VipRecalculationParams = Type.Object(
  {
    windowDays: Type.Integer({ minimum: 1, maximum: 3650, default: 90, description: 'Trailing spend window in days' }),
    chunkSize: Type.Integer({ minimum: 100, maximum: 100_000, default: 10_000, description: 'Users per transaction' }),
  },
  { additionalProperties: false },
);

export const ReportGenerationParams = Type.Object(
  {
    period: Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')], {
      default: 'day',
      description: 'The period before the slot that the report covers, in the job time zone',
    }),
    reportKind: Type.String({ minLength: 1, maxLength: 64, default: 'sales-summary', description: 'Name of the report' }),
  },
  { additionalProperties: false },
);

export const CacheWarmingParams = Type.Object(
  {
    topProducts: Type.Integer({ minimum: 1, maximum: 10_000, default: 100, description: 'How many best sellers to cache' }),
    vipProfiles: Type.Integer({ minimum: 0, maximum: 100_000, default: 1_000, description: 'How many VIP profiles to cache' }),
    ttlSeconds: Type.Integer({ minimum: 10, maximum: 86_400, default: 600, description: 'TTL of each cached entry' }),
  },
  { additionalProperties: false },
);

export const DataCleanupParams = Type.Object(
  {
    batchSize: Type.Integer({ minimum: 10, maximum: 50_000, default: 1_000, description: 'Rows deleted per statement' }),
    runRetentionDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30, description: 'Keep run records this long' }),
    rollupAfterDays: Type.Integer({ minimum: 0, maximum: 30, default: 1, description: 'Roll a day of slots up per job once it is this many days old' }),
    rollupJobsPerChunk: Type.Integer({ minimum: 1, maximum: 1_000, default: 50, description: 'Jobs rolled up per transaction' }),
    outboxRetentionHours: Type.Integer({ minimum: 1, maximum: 87_600, default: 72, description: 'Keep outbox rows this long after Kafka took them' }),
  },
  { additionalProperties: false },
);

export const SyntheticParams = Type.Object(
  {
    chunks: Type.Integer({ minimum: 1, maximum: 10_000, default: 5, description: 'Number of chunks' }),
    chunkMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 200, description: 'Time spent per chunk (ms)' }),
    failAtChunk: Type.Optional(Type.Integer({ minimum: 0, description: 'Chunk index at which to fail' })),
    failure: Type.Optional(
      Type.Union([Type.Literal('error'), Type.Literal('non-retryable'), Type.Literal('timeout'), Type.Literal('hang')], {
        description: 'How to fail at failAtChunk',
      }),
    ),
    failOnRetry: Type.Optional(
      Type.Boolean({ default: true, description: 'Whether a run started by Retry fails too (false: Retry succeeds, for demos)' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * How a kind's slots relate to each other (DESIGN.md, exactly-once layer 5):
 * - `latest-state`: a slot writes "the current state" (a user's tier, a cache entry), so a slot older
 *   than one whose effects have committed must not run: it would put older state over newer.
 * - `period-keyed`: a slot's effects belong to its own period (a report, a cleanup horizon), so any
 *   slot may run or re-run in any order.
 */
export const SLOT_ORDERS = ['latest-state', 'period-keyed'] as const;
export type SlotOrder = (typeof SLOT_ORDERS)[number];

export const JOB_KINDS = {
  'vip-recalculation': { title: 'VIP tier recalculation', params: VipRecalculationParams, slotOrder: 'latest-state' },
  'report-generation': { title: 'Report generation', params: ReportGenerationParams, slotOrder: 'period-keyed' },
  'cache-warming': { title: 'Cache warming', params: CacheWarmingParams, slotOrder: 'latest-state' },
  'data-cleanup': { title: 'Data cleanup', params: DataCleanupParams, slotOrder: 'period-keyed' },
  synthetic: { title: 'Synthetic (demo and tests)', params: SyntheticParams, slotOrder: 'period-keyed' },
} as const satisfies Record<string, { title: string; params: TSchema; slotOrder: SlotOrder }>;

export type JobKind = keyof typeof JOB_KINDS;
export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];
export const JobKindSchema = Type.Union(JOB_KIND_NAMES.map((k) => Type.Literal(k)));

export type JobParams = {
  'vip-recalculation': Static<typeof VipRecalculationParams>;
  'report-generation': Static<typeof ReportGenerationParams>;
  'cache-warming': Static<typeof CacheWarmingParams>;
  'data-cleanup': Static<typeof DataCleanupParams>;
  synthetic: Static<typeof SyntheticParams>;
};

/** The kind's slot order; a kind this build does not know is treated as period-keyed (nothing is refused). */
export function slotOrderOf(kind: string): SlotOrder {
  return (JOB_KINDS as Record<string, { slotOrder: SlotOrder }>)[kind]?.slotOrder ?? 'period-keyed';
}

/**
 * The slot-order rule, written once: for a latest-state kind, a slot older than `stateSlot` (the
 * newest slot of the job whose effects have committed) is superseded by it, and this returns that
 * newer slot; otherwise (period-keyed, no state yet, same or newer slot) null, and the slot may run.
 */
export function supersedingSlot(kind: string, slot: Date, stateSlot: Date | null): Date | null {
  if (slotOrderOf(kind) !== 'latest-state' || !stateSlot) return null;
  return slot.getTime() < stateSlot.getTime() ? stateSlot : null;
}
