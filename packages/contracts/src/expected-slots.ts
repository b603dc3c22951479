import { Type, type Static } from '@sinclair/typebox';

/**
 * One slot a job is expected to have: the preview, next-runs, the ledger's planned rows and what the
 * schedules actually start are all lists of these (packages/scheduling computes them in one place).
 * `utc` is the slot's nominal time, its identity (the workflow id is `tk-<key>-<utc to the second>`).
 */
export const ExpectedSlotSchema = Type.Object({
  utc: Type.String({ description: 'Nominal time of the slot; for a skipped slot, where it would have been' }),
  local: Type.String({ description: 'The same instant on the job zone\'s clock, with its offset' }),
  timezone: Type.String(),
  dayLengthHours: Type.Number({ description: '23, 25 (23.5, 24.5 on Lord Howe) on a clock-change day' }),
  /** `fires`: a run starts; `skipped`: the job's DST policy drops it (listed so it is not silently missing). */
  status: Type.Union([Type.Literal('fires'), Type.Literal('skipped')]),
  /** The wall time occurs twice that day; which occurrence this slot is. */
  ambiguous: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('last')])),
  /** Wall times the cron names that do not exist (spring forward), run at this instant instead ("02:30"). */
  shiftedFrom: Type.Optional(Type.Array(Type.String())),
  /** A skipped slot's wall time when it does not exist at all ("02:30"). */
  missingWall: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});
export type ExpectedSlot = Static<typeof ExpectedSlotSchema>;

/** `wall-clock`: a cron in the job's zone, with its DST policy; `absolute`: an interval, untouched by clock changes. */
export const TIME_BASES = ['wall-clock', 'absolute'] as const;
export type TimeBasis = (typeof TIME_BASES)[number];
export const TimeBasisSchema = Type.Union(TIME_BASES.map((b) => Type.Literal(b)), {
  description: '"absolute" for an interval: clock changes never move, skip or repeat its slots',
});

/** POST /v1/schedules/preview */
export const SchedulePreviewResponse = Type.Object({ valid: Type.Boolean(), timeBasis: TimeBasisSchema, items: Type.Array(ExpectedSlotSchema) });
export type SchedulePreviewResponse = Static<typeof SchedulePreviewResponse>;

/** GET /v1/jobs/:key/next-runs. `source`: `schedule` when the job's schedules are in step with it, else `preview` (a change is pending). */
export const NextRunsResponse = Type.Object({
  source: Type.Union([Type.Literal('schedule'), Type.Literal('preview')]),
  timeBasis: TimeBasisSchema,
  items: Type.Array(ExpectedSlotSchema),
});
export type NextRunsResponse = Static<typeof NextRunsResponse>;

/** GET /v1/next-runs?key=…: several jobs' next runs in one request (the job list's and the timeline's). */
export const NextRunsOfJobsResponse = Type.Object({
  jobs: Type.Array(Type.Object({ key: Type.String(), ...NextRunsResponse.properties })),
  missing: Type.Array(Type.String(), { description: 'Keys asked for that name no live job (deleted meanwhile)' }),
});
export type NextRunsOfJobsResponse = Static<typeof NextRunsOfJobsResponse>;
/** The most jobs one GET /v1/next-runs may name. */
export const NEXT_RUNS_MAX_JOBS = 100;
