import { Type, type Static } from '@sinclair/typebox';
import { OverlapPolicySchema } from './job-definition';
import { Nullable } from './nullable';

// Bodies and answers of the run actions that start slots again (Retry, backfill), and how they explain
// latest-state slots a newer committed slot supersedes (job-kinds.ts, supersedingSlot).

/** The error code of a 409 that names superseded slots; the same request with confirmSuperseded runs them. */
export const SLOT_SUPERSEDED_ERROR = 'slot_superseded';

/** The most superseded slots an answer lists one by one (the count is always exact). */
export const SUPERSEDED_LIST_MAX = 100;

export const ConfirmSuperseded = Type.Boolean({
  description:
    'Start it even though some slots are superseded: they end with the verdict `superseded` and change nothing ' +
    '(e.g. to close a failed slot). Without it such a request is answered 409 slot_superseded.',
});

export const SupersededSlotsSchema = Type.Object({
  newerSlot: Type.String({ description: 'The newest slot of the job whose effects have committed (ISO)' }),
  count: Type.Integer({ description: 'How many of the requested slots are older than newerSlot' }),
  slots: Type.Array(Type.String(), { description: `The superseded slots, oldest first (at most ${SUPERSEDED_LIST_MAX})` }),
});
export type SupersededSlots = Static<typeof SupersededSlotsSchema>;

/** 409 body: the request would run latest-state slots older than the job's newest committed slot. */
export const SupersededConflictSchema = Type.Object({
  error: Type.Literal(SLOT_SUPERSEDED_ERROR),
  message: Type.String(),
  details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), { description: 'Names confirmSuperseded' }),
  jobKey: Type.String(),
  superseded: SupersededSlotsSchema,
});
export type SupersededConflict = Static<typeof SupersededConflictSchema>;

export const RetryRunBody = Type.Object({ confirmSuperseded: Type.Optional(ConfirmSuperseded) }, { additionalProperties: false });
export type RetryRunBody = Static<typeof RetryRunBody>;

export const RetryRunResult = Type.Object({
  workflowId: Type.String(),
  jobKey: Type.String(),
  slot: Type.String(),
  supersededBy: Type.Union([Type.String(), Type.Null()], { description: 'Set when the slot was started although a newer slot supersedes it' }),
});
export type RetryRunResult = Static<typeof RetryRunResult>;

export const BackfillBody = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    overlap: Type.Optional(OverlapPolicySchema),
    confirmSuperseded: Type.Optional(ConfirmSuperseded),
    dryRun: Type.Optional(Type.Boolean({ description: 'Count the slots and name the superseded ones; start nothing' })),
  },
  { additionalProperties: false },
);
export type BackfillBody = Static<typeof BackfillBody>;

export const BackfillResult = Type.Object({
  slots: Type.Integer({ description: 'Slots of the schedule in [from, to)' }),
  started: Type.Boolean({ description: 'false for a dry run' }),
  superseded: Type.Union([SupersededSlotsSchema, Type.Null()], {
    description: 'Slots older than the newest committed slot of a latest-state job (null when none)',
  }),
});
export type BackfillResult = Static<typeof BackfillResult>;

export const TriggerJobBody = Type.Object({ overlap: Type.Optional(OverlapPolicySchema) }, { additionalProperties: false });
export type TriggerJobBody = Static<typeof TriggerJobBody>;

export const TRIGGER_OUTCOMES = ['started', 'queued', 'skipped', 'unconfirmed'] as const;
export type TriggerOutcome = (typeof TRIGGER_OUTCOMES)[number];

/** The answer of Run now, read back from the schedule: what Temporal did with the trigger. */
export const TriggerJobResult = Type.Object({
  outcome: Type.Union(TRIGGER_OUTCOMES.map((o) => Type.Literal(o)), {
    description:
      'started: a run began (workflowId names it); queued: it waits behind a running run (buffer policies); ' +
      'skipped: the overlap policy dropped it; unconfirmed: Temporal had not acted on it within the deadline',
  }),
  workflowId: Nullable(Type.String({ description: 'The run started, when outcome is started' })),
});
export type TriggerJobResult = Static<typeof TriggerJobResult>;
