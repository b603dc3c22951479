import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration';
import { JobKindSchema } from './job-kinds';

// The job definition as it crosses the API. Durations are strings ("90s", "10m", "2h").
const Duration = (description: string) => Type.String({ pattern: DURATION_PATTERN, description });

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export const OverlapPolicySchema = Type.Union(OVERLAP_POLICIES.map((p) => Type.Literal(p)), {
  description: 'What to do when a slot fires while the previous run is still going',
});
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

// What a cron does at a clock change (issue 12). Intervals run in absolute time and never meet one.
export const REPEATED_WALL_TIMES = ['first', 'last', 'both'] as const;
export type RepeatedWallTime = (typeof REPEATED_WALL_TIMES)[number];
export const MISSING_WALL_TIMES = ['shift', 'skip'] as const;
export type MissingWallTime = (typeof MISSING_WALL_TIMES)[number];
export type DstPolicy = { repeated: RepeatedWallTime; missing: MissingWallTime };

export const JOB_KEY_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$';

export const ScheduleSchema = Type.Object(
  {
    cron: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: 'Cron: 5 fields, or 6 with seconds first, or @hourly-style' }),
    ),
    interval: Type.Optional(Duration('Run every this long, instead of a cron expression')),
    timezone: Type.String({ default: 'UTC', minLength: 1, maxLength: 64, description: 'IANA time zone' }),
    jitter: Type.String({ pattern: DURATION_PATTERN, default: '0s', description: 'Random delay added to each fire time' }),
    overlapPolicy: Type.Union(OVERLAP_POLICIES.map((p) => Type.Literal(p)), {
      default: 'skip',
      description: 'What to do when a slot fires while the previous run is still going',
    }),
    catchupWindow: Type.String({ pattern: DURATION_PATTERN, default: '10m', description: 'How late a missed slot may still start (at least 10s)' }),
    repeatedWallTime: Type.Union(REPEATED_WALL_TIMES.map((p) => Type.Literal(p)), {
      default: 'first',
      description: 'Cron only. A wall time that occurs twice when clocks fall back: run at the first, the last, or both',
    }),
    missingWallTime: Type.Union(MISSING_WALL_TIMES.map((p) => Type.Literal(p)), {
      default: 'shift',
      description: 'Cron only. A wall time that does not exist when clocks jump forward: run at the first instant after the gap, or skip it',
    }),
  },
  { additionalProperties: false },
);

export const RetrySchema = Type.Object(
  {
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
    initialInterval: Type.String({ pattern: DURATION_PATTERN, default: '10s' }),
    maxInterval: Type.String({ pattern: DURATION_PATTERN, default: '5m' }),
    backoffCoefficient: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
    nonRetryableErrorTypes: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, default: [] }),
  },
  { additionalProperties: false },
);

export const TimeoutsSchema = Type.Object(
  {
    run: Type.String({ pattern: DURATION_PATTERN, default: '2h', description: 'Whole run: must fit maxAttempts × startToClose plus the retry backoff' }),
    startToClose: Type.String({ pattern: DURATION_PATTERN, default: '30m', description: 'One activity attempt' }),
    heartbeat: Type.String({ pattern: DURATION_PATTERN, default: '30s', description: 'Longest silence between heartbeats' }),
  },
  { additionalProperties: false },
);

export const LockSchema = Type.Object(
  {
    required: Type.Boolean({ default: true }),
    ttl: Type.String({ pattern: DURATION_PATTERN, default: '30s', description: 'Lease, auto-extended while the job runs' }),
  },
  { additionalProperties: false },
);

const definitionFields = {
  key: Type.String({ pattern: JOB_KEY_PATTERN, description: 'Stable slug; the Temporal schedule id derives from it' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000, default: '' }),
  kind: JobKindSchema,
  params: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
  schedule: ScheduleSchema,
  retry: RetrySchema,
  timeouts: TimeoutsSchema,
  lock: LockSchema,
  expectedMaxDuration: Type.Optional(Duration('Runs longer than this raise an overdue alert')),
  gracePeriod: Type.String({ pattern: DURATION_PATTERN, default: '2m', description: 'A slot not started within this is missed' }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, default: [] }),
  owner: Type.String({ maxLength: 100, default: '' }),
};

/** A complete definition with every default filled in (config/jobs.yaml entries become this too). */
export const JobSpec = Type.Object(definitionFields, { additionalProperties: false });
export type JobSpec = Static<typeof JobSpec>;

/** POST /v1/jobs. Nested objects may be partial: their defaults fill the rest. */
export const CreateJobBody = Type.Object(
  {
    ...definitionFields,
    // No defaults for the DST policy here (the merge fills them in): an interval job whose body had them
    // filled by the validator would look as if it named a policy, which an interval refuses.
    schedule: Type.Partial(
      Type.Object(
        {
          ...ScheduleSchema.properties,
          repeatedWallTime: withoutDefaults(ScheduleSchema.properties.repeatedWallTime),
          missingWallTime: withoutDefaults(ScheduleSchema.properties.missingWallTime),
        },
        { additionalProperties: false },
      ),
      { additionalProperties: false },
    ),
    retry: Type.Optional(Type.Partial(RetrySchema, { additionalProperties: false })),
    timeouts: Type.Optional(Type.Partial(TimeoutsSchema, { additionalProperties: false })),
    lock: Type.Optional(Type.Partial(LockSchema, { additionalProperties: false })),
    description: Type.Optional(definitionFields.description),
    params: Type.Optional(definitionFields.params),
    gracePeriod: Type.Optional(definitionFields.gracePeriod),
    tags: Type.Optional(definitionFields.tags),
    owner: Type.Optional(definitionFields.owner),
    paused: Type.Optional(Type.Boolean()),
    pauseNote: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreateJobBody = Static<typeof CreateJobBody>;

/** A copy of a schema with every `default` removed, at any depth (TypeBox's symbol keys kept). */
function withoutDefaults<T extends TSchema>(schema: T): T {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string | symbol, unknown> = {};
    for (const k of Reflect.ownKeys(v)) if (k !== 'default') out[k] = strip((v as Record<string | symbol, unknown>)[k]);
    return out;
  };
  return strip(schema) as T;
}

/**
 * PATCH /v1/jobs/:key (with If-Match: <version>): any field but the key. No defaults here: a validator
 * that fills them in would turn `{"schedule": {"cron": "…"}}` into a reset of the zone and policies.
 */
export const UpdateJobBody = withoutDefaults(
  Type.Partial(Type.Omit(CreateJobBody, ['key', 'paused', 'pauseNote']), { additionalProperties: false }),
);
export type UpdateJobBody = Static<typeof UpdateJobBody>;

export const SYNC_STATUSES = ['pending', 'synced', 'error'] as const;
export const JobDefinitionDto = Type.Object({
  ...definitionFields,
  expectedMaxDuration: Type.Union([Type.String(), Type.Null()]),
  paused: Type.Boolean(),
  pauseNote: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  managedBy: Type.Union([Type.Literal('config'), Type.Literal('console')]),
  syncStatus: Type.Union(SYNC_STATUSES.map((s) => Type.Literal(s))),
  syncError: Type.Union([Type.String(), Type.Null()]),
  scheduleId: Type.String(),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type JobDefinitionDto = Static<typeof JobDefinitionDto>;

/**
 * What a schedule hands each run (the workflow's only argument), so a run needs no database read to
 * know its policy. Durations in ms. `slot` is set for manual triggers and retries; scheduled runs take
 * their slot from TemporalScheduledStartTime.
 */
/** A retry policy in ms, as stored and as handed to a run. */
export type RetryPolicyMs = {
  maxAttempts: number;
  initialIntervalMs: number;
  maxIntervalMs: number;
  backoffCoefficient: number;
  nonRetryableErrorTypes: string[];
};

export type RunInput = {
  jobKey: string;
  kind: string;
  params: Record<string, unknown>;
  timezone: string;
  definitionVersion: number;
  retry: RetryPolicyMs;
  timeouts: { startToCloseMs: number; heartbeatMs: number };
  lock: { required: boolean; ttlMs: number };
  slot?: string;
};

export const RUN_WORKFLOW_TYPE = 'runJob';
export const SCHEDULE_ID_PREFIX = 'tk-';
export const scheduleIdFor = (jobKey: string) => `${SCHEDULE_ID_PREFIX}${jobKey}`;
/**
 * The companion schedule that carries a job's clock-change slots as explicit UTC instants. Job keys
 * have no ".", so it can never be another job's schedule; its runs are still named `tk-<key>-<time>`.
 */
export const dstScheduleIdFor = (jobKey: string) => `${scheduleIdFor(jobKey)}.dst`;
