import { Type, type Static } from '@sinclair/typebox';

// Alerts as they cross Kafka, the live stream (SSE) and the API; run events are in run-events.ts.

/**
 * Slot alerts come from the slot's verdict (failed … missed), or warn while it has none yet (late_start,
 * overdue). Job alerts say the job's schedule is not what Timekeeper defined: missing in Temporal, or
 * paused or edited outside Timekeeper (schedule_drift, naming what changed).
 * `webhook_failed`: the alert webhook gave up on an event (dead-lettered) or met a stream entry it could not read.
 * `outbox_dead_letter`: an event Kafka kept refusing was set aside (the outbox row's dead letter).
 */
export const ALERT_KINDS = [
  'failed', 'timed_out', 'terminated', 'cancelled', 'missed', 'late_start', 'overdue', 'schedule_missing', 'schedule_drift', 'webhook_failed', 'outbox_dead_letter',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const AlertKindSchema = Type.Union(ALERT_KINDS.map((k) => Type.Literal(k)));

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const AlertStatusSchema = Type.Union(ALERT_STATUSES.map((s) => Type.Literal(s)));

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * Why a slot has no run: the schedule skipped it while the previous run went on, it fell outside the
 * catch-up window, the job was paused through it, the scheduler passed it without starting or counting
 * it, the schedule did not exist in Temporal, the job's DST policy skips the wall time
 * (`dst_policy`, status skipped, never alerted); or (a warning, not a verdict) a workflow started but no worker picked it up.
 */
export const MISSED_REASONS = ['overlap_skip', 'catchup_window_exceeded', 'paused', 'not_started', 'no_worker', 'schedule_missing', 'dst_policy'] as const;
export type MissedReason = (typeof MISSED_REASONS)[number];

export const AlertDetailsSchema = Type.Object({
  errorType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorMessage: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  attempt: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  workflowId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  runId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** The run in the Temporal Web UI. */
  temporalUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** Who saw it: ledger (the run's own verdict), temporal (a run that closed unrecorded), schedule (no run), overdue, drift, outbox. */
  source: Type.Optional(Type.String()),
  /** schedule_drift: what differs from the definition. */
  changes: Type.Optional(Type.Array(Type.String())),
  runningForMs: Type.Optional(Type.Integer()),
  expectedMaxDurationMs: Type.Optional(Type.Integer()),
});
export type AlertDetails = Static<typeof AlertDetailsSchema>;

export const AlertDto = Type.Object({
  id: Type.Integer(),
  jobKey: Type.String(),
  slot: Type.String({ format: 'date-time', description: 'Nominal fire time of the slot' }),
  kind: AlertKindSchema,
  severity: Type.Union(ALERT_SEVERITIES.map((s) => Type.Literal(s))),
  reason: Type.String(),
  details: AlertDetailsSchema,
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  count: Type.Integer({ minimum: 1 }),
  status: AlertStatusSchema,
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedBy: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  /**
   * Set when a later slot of the job succeeded: the job is healthy again, but this slot still has no
   * good run, so the alert stays open until the slot is retried or backfilled, or it is acknowledged.
   */
  recoveredAt: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type AlertDto = Static<typeof AlertDto>;

/** A page of alerts, newest first; `nextCursor` is the last id of the page. */
export const AlertPageSchema = Type.Object({ items: Type.Array(AlertDto), nextCursor: Type.Union([Type.Integer(), Type.Null()]) });
export type AlertPage = Static<typeof AlertPageSchema>;

// alert.recovered: a later slot of the job succeeded (recoveredAt set); the alert itself stays open.
export const ALERT_EVENT_TYPES = ['alert.raised', 'alert.repeated', 'alert.acknowledged', 'alert.recovered', 'alert.resolved'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/**
 * The value of a `timekeeper.alerts` message (key = job key, header `event-id` = eventId, a uuid per
 * event, so consumers drop redeliveries). The same object is the data of an SSE `alert` event.
 */
export const AlertEvent = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  type: Type.Union(ALERT_EVENT_TYPES.map((t) => Type.Literal(t))),
  at: Type.String({ format: 'date-time' }),
  alert: AlertDto,
});
export type AlertEvent = Static<typeof AlertEvent>;

export const DEFAULT_ALERTS_TOPIC = 'timekeeper.alerts';
export const DEFAULT_RUNS_TOPIC = 'timekeeper.runs';
/** Redis stream the live (SSE) feed is read from; entry ids are the SSE event ids. */
export const DEFAULT_LIVE_STREAM_KEY = 'tk:live';
/** Fields of a live-stream entry: `event` (alert | run), `data` (the JSON event), `outboxId`. */
export type LiveStreamEntry = { event: 'alert' | 'run'; data: string; outboxId: string };
