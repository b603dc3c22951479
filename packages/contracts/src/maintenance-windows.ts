import { Type, type Static } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration';
import { JOB_KEY_PATTERN } from './job-definition';
import { Nullable } from './nullable';

// Maintenance windows: spans in which some jobs' alerts are recorded but not notified, and (mode
// `pause`) their schedules are paused, the slots in them getting the verdict `paused` with the window
// named. One-off (from–to) or recurring (a 5-field cron in a zone, each occurrence lasting `duration`).
// Everything resumes by itself at the end; "pause until …" on a job is a one-off window of that job.

export const WINDOW_MODES = ['pause', 'suppress'] as const;
export type WindowMode = (typeof WINDOW_MODES)[number];

/** The job's verdict for a slot inside a pause window (job_slots.error_type of a `paused` slot). */
export const MAINTENANCE_REASON = 'maintenance';

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  jobs: Type.Array(Type.String({ pattern: JOB_KEY_PATTERN }), { maxItems: 500, uniqueItems: true, description: 'Job keys it covers' }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50, uniqueItems: true, description: 'Jobs with any of these tags are covered' }),
  mode: Type.Union(WINDOW_MODES.map((m) => Type.Literal(m)), {
    description: 'pause: schedules paused, slots get the verdict paused; suppress: runs go on, their alerts are recorded but not notified',
  }),
  from: Type.String({ format: 'date-time', description: 'One-off: start' }),
  to: Type.String({ format: 'date-time', description: 'One-off: end (exclusive)' }),
  cron: Type.String({ minLength: 9, maxLength: 120, description: 'Recurring: when each occurrence starts (5 fields; 6 with seconds first, occurrences up to 1h)' }),
  duration: Type.String({ pattern: DURATION_PATTERN, description: 'Recurring: how long each occurrence lasts, e.g. 2h' }),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'Recurring: the cron’s zone (IANA)' }),
};

/** A new window: one-off (`from`, `to`) or recurring (`cron`, `duration`, `timezone`), never both. */
export const MaintenanceWindowInputSchema = Type.Object(
  {
    name: fields.name,
    reason: fields.reason,
    jobs: Type.Optional(fields.jobs),
    tags: Type.Optional(fields.tags),
    mode: Type.Optional(fields.mode),
    from: Type.Optional(fields.from),
    to: Type.Optional(fields.to),
    cron: Type.Optional(fields.cron),
    duration: Type.Optional(fields.duration),
    timezone: Type.Optional(fields.timezone),
  },
  { additionalProperties: false },
);
export type MaintenanceWindowInput = Static<typeof MaintenanceWindowInputSchema>;

/** An edit: any field; the result must still be a valid window. */
export const MaintenanceWindowPatchSchema = Type.Partial(MaintenanceWindowInputSchema, { additionalProperties: false });
export type MaintenanceWindowPatch = Static<typeof MaintenanceWindowPatchSchema>;

export const MaintenanceWindowDto = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  reason: Type.String(),
  jobs: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  mode: fields.mode,
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  cron: Nullable(Type.String()),
  duration: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  /** Ended early (a one-off one for good; a recurring one's occurrence in progress then). */
  endedAt: Nullable(Type.String()),
  managedBy: Type.Union([Type.Literal('console'), Type.Literal('config')]),
  createdBy: Type.String(),
  updatedBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type MaintenanceWindowDto = Static<typeof MaintenanceWindowDto>;

/** "Pause until …": a one-off pause window of one job from now. */
export const PauseUntilBodySchema = Type.Object(
  { until: Type.String({ format: 'date-time' }), reason: Type.Optional(fields.reason) },
  { additionalProperties: false },
);
export type PauseUntilBody = Static<typeof PauseUntilBodySchema>;
