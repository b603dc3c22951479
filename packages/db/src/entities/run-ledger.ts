import { EntitySchema } from '@mikro-orm/core';
import { bigint } from './column-types';
import { SLOT_STATUSES, type SlotProgress, type SlotStatus } from '@timekeeper/contracts';

export { SLOT_STATUSES, type SlotStatus };

/** Verdicts after which a slot does not change on its own. */
export const TERMINAL_SLOT_STATUSES: readonly SlotStatus[] = ['succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed'];

/**
 * Verdicts after which a slot never runs again (no Retry, no attempt resumes it), so its checkpoints
 * are no longer needed. A failed, timed-out or cancelled slot can still be retried and resume after
 * its committed chunks.
 */
export const FINAL_SLOT_STATUSES: readonly SlotStatus[] = ['succeeded'];

/**
 * One row per slot (job + nominal fire time): planned before it is due, then the state of the slot's
 * latest run and its verdict. `runs` counts the runs of the slot (0 while planned); when a new run
 * takes a terminal row over (Retry, backfill, a late start), the verdict it replaces moves to
 * job_slot_runs. `reportPending` is set by every state write and cleared once alerting has reported it.
 */
export class JobSlot {
  id!: number;
  jobKey!: string;
  nominalTime!: Date;
  kind!: string;
  status!: SlotStatus;
  workflowId: string | null = null;
  runId: string | null = null;
  attempt = 0;
  startedAt: Date | null = null;
  finishedAt: Date | null = null;
  progress: SlotProgress | null = null;
  result: Record<string, unknown> | null = null;
  errorType: string | null = null;
  errorMessage: string | null = null;
  fence: number | null = null;
  runs = 1;
  revision = 0;
  reportPending = false;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const JobSlotSchema = new EntitySchema<JobSlot>({
  class: JobSlot,
  tableName: 'job_slots',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    jobKey: { type: 'string', length: 64 },
    nominalTime: { type: 'datetime', length: 3 },
    kind: { type: 'string', length: 40 },
    status: { type: 'string', length: 12 },
    workflowId: { type: 'string', length: 255, nullable: true },
    runId: { type: 'string', length: 64, nullable: true },
    attempt: { type: 'integer' },
    startedAt: { type: 'datetime', length: 3, nullable: true },
    finishedAt: { type: 'datetime', length: 3, nullable: true },
    progress: { type: 'json', nullable: true },
    result: { type: 'json', nullable: true },
    errorType: { type: 'string', length: 120, nullable: true },
    errorMessage: { type: 'text', nullable: true },
    fence: { type: bigint(), nullable: true },
    runs: { type: 'integer' },
    revision: { type: 'integer' },
    reportPending: { type: 'boolean' },
    createdAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3, onUpdate: () => new Date() },
  },
});

/** An earlier run of a slot whose verdict a later run replaced (the slot's history). */
export class JobSlotRun {
  id!: number;
  jobKey!: string;
  nominalTime!: Date;
  runNo!: number;
  status!: SlotStatus;
  workflowId: string | null = null;
  runId: string | null = null;
  attempt = 0;
  startedAt: Date | null = null;
  finishedAt: Date | null = null;
  result: Record<string, unknown> | null = null;
  errorType: string | null = null;
  errorMessage: string | null = null;
  replacedAt: Date = new Date();
}

export const JobSlotRunSchema = new EntitySchema<JobSlotRun>({
  class: JobSlotRun,
  tableName: 'job_slot_runs',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    jobKey: { type: 'string', length: 64 },
    nominalTime: { type: 'datetime', length: 3 },
    runNo: { type: 'integer' },
    status: { type: 'string', length: 12 },
    workflowId: { type: 'string', length: 255, nullable: true },
    runId: { type: 'string', length: 64, nullable: true },
    attempt: { type: 'integer' },
    startedAt: { type: 'datetime', length: 3, nullable: true },
    finishedAt: { type: 'datetime', length: 3, nullable: true },
    result: { type: 'json', nullable: true },
    errorType: { type: 'string', length: 120, nullable: true },
    errorMessage: { type: 'text', nullable: true },
    replacedAt: { type: 'datetime', length: 3 },
  },
});

/** Per job: the highest fencing token that has committed effects, and the last token issued. */
export class JobFence {
  jobKey!: string;
  fence!: number;
  /** The last token handed to a lock holder (strictly increasing; see packages/jobs lock/fence.ts). */
  issued = 0;
  commits = 0;
  /** Latest-state kinds: the newest slot whose effects have committed; older slots are superseded. */
  stateSlot: Date | null = null;
  updatedAt: Date = new Date();
}

export const JobFenceSchema = new EntitySchema<JobFence>({
  class: JobFence,
  tableName: 'job_fences',
  properties: {
    jobKey: { type: 'string', length: 64, primary: true },
    fence: { type: bigint() },
    issued: { type: bigint() },
    commits: { type: bigint() },
    stateSlot: { type: 'datetime', length: 3, nullable: true },
    updatedAt: { type: 'datetime', length: 3 },
  },
});

/** A committed chunk of a slot's work; unique per (job, slot, chunk). */
export class JobCheckpoint {
  id!: number;
  jobKey!: string;
  nominalTime!: Date;
  chunk!: number;
  cursorAfter: string | null = null;
  counts: Record<string, number> = {};
  fence!: number;
  createdAt: Date = new Date();
}

export const JobCheckpointSchema = new EntitySchema<JobCheckpoint>({
  class: JobCheckpoint,
  tableName: 'job_checkpoints',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    jobKey: { type: 'string', length: 64 },
    nominalTime: { type: 'datetime', length: 3 },
    chunk: { type: 'integer' },
    cursorAfter: { type: 'string', length: 255, nullable: true },
    counts: { type: 'json' },
    fence: { type: bigint() },
    createdAt: { type: 'datetime', length: 3 },
  },
});

/**
 * An event written in the same transaction as the effects it describes (through `writeOutbox`); the relay
 * ships it to Kafka. `attempts` counts every publish try, `failures` only those the broker refused for
 * this row (sent alone); at the relay's limit the row is dead-lettered (`deadAt`) and skipped.
 */
export class OutboxMessage {
  id!: number;
  eventId!: string;
  topic!: string;
  key: string | null = null;
  payload!: Record<string, unknown>;
  headers: Record<string, string> = {};
  createdAt: Date = new Date();
  sentAt: Date | null = null;
  attempts = 0;
  failures = 0;
  retryAt: Date | null = null;
  deadAt: Date | null = null;
  lastError: string | null = null;
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    eventId: { type: 'string', length: 36 },
    topic: { type: 'string', length: 200 },
    key: { type: 'string', length: 255, nullable: true },
    payload: { type: 'json' },
    headers: { type: 'json' },
    createdAt: { type: 'datetime', length: 3 },
    sentAt: { type: 'datetime', length: 3, nullable: true },
    attempts: { type: 'integer' },
    failures: { type: 'integer' },
    retryAt: { type: 'datetime', length: 3, nullable: true },
    deadAt: { type: 'datetime', length: 3, nullable: true },
    lastError: { type: 'text', nullable: true },
  },
});
