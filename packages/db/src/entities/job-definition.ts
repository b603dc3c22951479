import { EntitySchema } from '@mikro-orm/core';
import type { MissingWallTime, OverlapPolicy, RepeatedWallTime, RetryPolicyMs } from '@timekeeper/contracts';
import { bigint } from './column-types';

export type SyncStatus = 'pending' | 'synced' | 'error';
export type ManagedBy = 'config' | 'console';
export type Timeouts = { runMs: number; startToCloseMs: number; heartbeatMs: number };

/** A recurring job as stored in MySQL; the Temporal Schedule is derived from it. Durations in ms. */
export class JobDefinition {
  id!: number;
  key!: string;
  name!: string;
  description = '';
  kind!: string;
  params: Record<string, unknown> = {};
  cron: string | null = null;
  intervalMs: number | null = null;
  timezone = 'UTC';
  jitterMs = 0;
  overlapPolicy: OverlapPolicy = 'skip';
  catchupWindowMs = 600_000;
  /** DST policy of a cron (issue 12); intervals keep the defaults. */
  dstRepeated: RepeatedWallTime = 'first';
  dstMissing: MissingWallTime = 'shift';
  paused = false;
  pauseNote: string | null = null;
  retry!: RetryPolicyMs;
  timeouts!: Timeouts;
  lockRequired = true;
  lockTtlMs = 30_000;
  expectedMaxDurationMs: number | null = null;
  gracePeriodMs = 120_000;
  tags: string[] = [];
  owner = '';
  version = 1;
  managedBy: ManagedBy = 'console';
  syncStatus: SyncStatus = 'pending';
  syncError: string | null = null;
  syncedAt: Date | null = null;
  /** SHA-256 of the schedule as Temporal described it right after our last write; drift = it changed. */
  scheduleFingerprint: string | null = null;
  /** Identifies the clock-change plan last written into the schedules; another one now means roll them forward. */
  dstPlanHash: string | null = null;
  /** Transitions before this instant are in the schedules as written (at least 13 months ahead when in step). */
  dstPlanUntil: Date | null = null;
  syncAttempts = 0;
  nextSyncAt: Date | null = null;
  deletedAt: Date | null = null;
  createdBy = 'system';
  updatedBy = 'system';
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const JobDefinitionSchema = new EntitySchema<JobDefinition>({
  class: JobDefinition,
  tableName: 'job_definitions',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true, mapToPk: false },
    key: { type: 'string', length: 64, unique: true },
    name: { type: 'string', length: 200 },
    description: { type: 'text' },
    kind: { type: 'string', length: 40 },
    params: { type: 'json' },
    cron: { type: 'string', length: 120, nullable: true },
    intervalMs: { type: bigint(), nullable: true },
    timezone: { type: 'string', length: 64 },
    jitterMs: { type: 'integer' },
    overlapPolicy: { type: 'string', length: 20 },
    catchupWindowMs: { type: bigint() },
    dstRepeated: { type: 'string', length: 5 },
    dstMissing: { type: 'string', length: 5 },
    paused: { type: 'boolean' },
    pauseNote: { type: 'text', nullable: true },
    retry: { type: 'json' },
    timeouts: { type: 'json' },
    lockRequired: { type: 'boolean' },
    lockTtlMs: { type: 'integer' },
    expectedMaxDurationMs: { type: bigint(), nullable: true },
    gracePeriodMs: { type: bigint() },
    tags: { type: 'json' },
    owner: { type: 'string', length: 100 },
    version: { type: 'integer', version: true },
    managedBy: { type: 'string', length: 10 },
    syncStatus: { type: 'string', length: 10 },
    syncError: { type: 'text', nullable: true },
    syncedAt: { type: 'datetime', length: 3, nullable: true },
    scheduleFingerprint: { type: 'string', length: 64, nullable: true },
    dstPlanHash: { type: 'string', length: 64, nullable: true },
    dstPlanUntil: { type: 'datetime', length: 3, nullable: true },
    syncAttempts: { type: 'integer' },
    nextSyncAt: { type: 'datetime', length: 3, nullable: true },
    deletedAt: { type: 'datetime', length: 3, nullable: true },
    createdBy: { type: 'string', length: 100 },
    updatedBy: { type: 'string', length: 100 },
    createdAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3, onUpdate: () => new Date() },
  },
});
