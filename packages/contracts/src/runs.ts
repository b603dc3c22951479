import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './nullable';

// Runs and slots as the API lists them and the console reads them. The console imports these as types
// only (its bundle carries no TypeBox); the API serves them through these schemas.

/**
 * A slot's verdict in the ledger (job_slots.status): `planned` before it is due, `running`, then one of
 * the outcomes; `skipped` when the overlap policy dropped it, `missed` (with a reason) when it never ran.
 * `superseded`: a latest-state slot that did not run because a newer slot's effects had committed
 * (see slotOrderOf in job-kinds.ts); its result names that newer slot (`supersededBy`). Not a failure.
 */
export const SLOT_STATUSES = ['planned', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

// A run state is a slot verdict, or `terminated`, which only Temporal visibility sees.
export const RUN_STATES = [...SLOT_STATUSES, 'terminated'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const RunStateSchema = Type.Union(RUN_STATES.map((s) => Type.Literal(s)));

const Instant = (description: string) => Type.String({ format: 'date-time', description });

/**
 * What a running (or finished) slot has done, written with each chunk's commit. `total` is the
 * attempt's estimate of all its work in `unit` (users to scan, chunks, phases…), made once when the
 * attempt starts; `done` is measured in the same unit. Rate and ETA follow from `startedAt`,
 * `startDone`, `at` and `done`: (done - startDone) / (at - startedAt).
 */
export const SlotProgressSchema = Type.Object({
  chunk: Type.Integer({ description: 'Last committed chunk (0-based); -1 before the first commits' }),
  cursor: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Number()),
  fence: Type.Optional(Type.Number()),
  attempt: Type.Optional(Type.Integer()),
  unit: Type.Optional(Type.String({ description: 'What `total` and `done` count, e.g. users, chunks, phases' })),
  total: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'Estimated work in all; null when it could not be estimated' }))),
  done: Type.Optional(Type.Number({ minimum: 0, description: 'Work committed so far, in `unit`' })),
  startedAt: Type.Optional(Instant('When this attempt began its work')),
  startDone: Type.Optional(Type.Number({ minimum: 0, description: 'Work already committed when this attempt began (resumed)' })),
  at: Type.Optional(Instant('When this progress was committed')),
});
export type SlotProgress = Static<typeof SlotProgressSchema>;

/** One run as the API lists it: a slot from the ledger, or a started run not recorded yet. */
export const RunViewSchema = Type.Object({
  jobKey: Type.String(),
  slot: Type.String({ description: 'Nominal time (ISO)' }),
  status: RunStateSchema,
  workflowId: Nullable(Type.String()),
  runId: Nullable(Type.String()),
  attempt: Type.Integer(),
  /** Runs of this slot so far (0 while planned; above 1 after a Retry or backfill replaced a verdict). */
  runs: Type.Integer(),
  startTime: Nullable(Type.String()),
  closeTime: Nullable(Type.String()),
  progress: Nullable(SlotProgressSchema),
  result: Nullable(Type.Record(Type.String(), Type.Unknown())),
  /** For failed runs the error's type; for missed and skipped slots the reason (see MISSED_REASONS). */
  errorType: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  /** Why the slot has this verdict: a missed reason code, what superseded or skipped it. */
  reason: Type.Optional(Nullable(Type.String())),
  fence: Nullable(Type.Number()),
  source: Type.Union([Type.Literal('ledger'), Type.Literal('temporal')]),
});
export type RunView = Static<typeof RunViewSchema>;

/** A page of runs, newest slot first; `nextCursor` is opaque. */
export const RunPageSchema = Type.Object({ items: Type.Array(RunViewSchema), nextCursor: Nullable(Type.String()) });
export type RunPage = Static<typeof RunPageSchema>;
