import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './nullable';
import { RunStateSchema, SlotProgressSchema } from './runs';

// Run events as they cross Kafka (`timekeeper.runs`, key = job key) and the live stream: the data of
// an SSE `run` event is one of these, told apart by `type`.


/** A slot changed state (started, a verdict, a new attempt). Times are the ledger's. */
export const RunEvent = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  type: Type.Literal('run.state'),
  at: Type.String({ format: 'date-time' }),
  jobKey: Type.String(),
  slot: Type.String({ format: 'date-time' }),
  status: RunStateSchema,
  workflowId: Nullable(Type.String()),
  runId: Nullable(Type.String()),
  attempt: Type.Integer(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  errorType: Nullable(Type.String()),
  errorMessage: Nullable(Type.String()),
  /** Why the slot has this verdict (missed reason, superseded or skipped by what), when known. */
  reason: Type.Optional(Nullable(Type.String())),
});
export type RunEvent = Static<typeof RunEvent>;

/**
 * A running slot committed more work. Sent at most once per slot per progress pass (at least a
 * second apart), so a job of many small chunks cannot flood Kafka or the console.
 */
export const RunProgressEvent = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  type: Type.Literal('run.progress'),
  at: Type.String({ format: 'date-time' }),
  jobKey: Type.String(),
  slot: Type.String({ format: 'date-time' }),
  workflowId: Nullable(Type.String()),
  runId: Nullable(Type.String()),
  attempt: Type.Integer(),
  progress: SlotProgressSchema,
});
export type RunProgressEvent = Static<typeof RunProgressEvent>;

/** The data of an SSE `run` event and the value of a `timekeeper.runs` message. */
export const RunLiveEvent = Type.Union([RunEvent, RunProgressEvent]);
export type RunLiveEvent = Static<typeof RunLiveEvent>;

/** The data of an SSE `gap` event: the client resumed from further back than the stream still holds. */
export const LiveGap = Type.Object({ oldestAvailable: Type.String() });
export type LiveGap = Static<typeof LiveGap>;
