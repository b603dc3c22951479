import { Type, type Static } from '@sinclair/typebox';

/** A slot's verdict in the ledger (job_slots.status). */
export const SLOT_STATUSES = ['planned', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'skipped', 'missed'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** One run as the API lists it: a slot from the ledger, or a started run not recorded yet. */
export const RunViewSchema = Type.Object({
  jobKey: Type.String(),
  slot: Type.String({ description: 'Nominal time (ISO)' }),
  status: Type.Union(SLOT_STATUSES.map((s) => Type.Literal(s))),
  workflowId: Nullable(Type.String()),
  runId: Nullable(Type.String()),
  attempt: Type.Integer(),
  /** Runs of this slot so far (0 while planned; above 1 after a Retry or backfill replaced a verdict). */
  runs: Type.Integer(),
  startTime: Nullable(Type.String()),
  closeTime: Nullable(Type.String()),
  progress: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  /** For failed runs the error's type; for missed and skipped slots the reason (see MISSED_REASONS). */
  errorType: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  fence: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Union([Type.Literal('ledger'), Type.Literal('temporal')]),
});
export type RunView = Static<typeof RunViewSchema>;
