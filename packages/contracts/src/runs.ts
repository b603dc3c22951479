import { Type, type Static } from '@sinclair/typebox';

/** A slot's verdict in the ledger (job_slots.status). */
// `superseded`: a latest-state slot that did not run because a newer slot's effects had committed
// (see slotOrderOf in job-kinds.ts); its result names that newer slot (`supersededBy`). Not a failure.
export const SLOT_STATUSES = ['planned', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed'] as const;
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
  startTime: Nullable(Type.String()),
  closeTime: Nullable(Type.String()),
  progress: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  errorType: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  fence: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Union([Type.Literal('ledger'), Type.Literal('temporal')]),
});
export type RunView = Static<typeof RunViewSchema>;
