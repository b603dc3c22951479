import type { JobKind } from '@timekeeper/contracts';

/** What the runJob workflow hands a job activity. `slot` is the nominal time, ISO 8601. */
export type JobActivityInput = {
  jobKey: string;
  kind: JobKind;
  slot: string;
  /** Where the slot came from: `input` means an explicit slot (a Retry or a backfill by the API). */
  slotSource?: 'input' | 'schedule' | 'start-time';
  params: Record<string, unknown>;
  timezone: string;
  lock: { required: boolean; ttlMs: number };
  workflowId: string;
  runId: string;
  /** Attempts earlier calls for this run used (each LockBusy ends a call); the attempt number adds to it. */
  attemptOffset?: number;
};

/** A job activity's outcome, also stored as the slot's result. */
export type JobResult = {
  kind: string;
  chunks: number;
  /** Chunks found committed when this attempt started (resumed after them). */
  resumedAfterChunk: number | null;
  counts: Record<string, number>;
  fence: number;
  /** The slot had already succeeded (duplicate trigger): nothing was done. */
  duplicate?: boolean;
  attempt: number;
};

/** Progress heartbeated after every committed chunk. */
export type HeartbeatProgress = { chunk: number; cursor: string | null; counts: Record<string, number> };
