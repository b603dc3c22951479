import type { Client } from '@temporalio/client';
import type Redis from 'ioredis';
import { dstScheduleIdFor, scheduleIdFor, type BackfillResult, type CreateJobBody, type OverlapPolicy, type TriggerJobResult, type UpdateJobBody } from '@timekeeper/contracts';
import { JobDefinition, readStateSlot, UniqueConstraintViolationException, type EntityManager, type ManagedBy, type MikroORM } from '@timekeeper/db';
import { describeSchedule, overlapToTemporal } from '@timekeeper/scheduling';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { audit } from './audit';
import { applyToEntity, definitionOf, mergeDefinition, toDto } from './job-mapper';
import { validateDefinition } from './job-validation';
import type { ScheduleSyncer } from './schedule-syncer';
import { publicSyncError } from './sync-failure';
import { triggerSchedule, type TriggerDeps } from './schedule-trigger';
import { temporalCall } from './temporal-call';
import { supersededAmong, supersededConflict } from './slot-order';

export type CommandResult = { job: JobDefinition; synced: boolean };

/**
 * Every change to a job: validate, commit to MySQL with its audit entry (sync pending), then push to
 * Temporal. A Temporal failure leaves the change committed and pending; the reconciler finishes it.
 */
export class JobCommands {
  constructor(
    private readonly orm: MikroORM,
    private readonly syncer: ScheduleSyncer,
    private readonly temporal: Client,
    private readonly opts: { maxBackfillSlots: number; callTimeoutMs: number; redis: Redis; triggerLockPrefix: string },
  ) {
    this.triggerDeps = { temporal, redis: opts.redis, lockPrefix: opts.triggerLockPrefix, call: (fn) => this.temporalCall(fn) };
  }

  private readonly triggerDeps: TriggerDeps;

  async create(body: CreateJobBody, actor: string, managedBy: ManagedBy = 'console'): Promise<CommandResult> {
    const spec = mergeDefinition(undefined, body);
    const { params } = validateDefinition(spec, body);
    const em = this.orm.em.fork();
    const existing = await em.findOne(JobDefinition, { key: body.key });
    if (existing) {
      throw conflict('job_exists', existing.deletedAt ? `Job "${body.key}" is still being deleted` : `Job "${body.key}" already exists`);
    }
    const job = new JobDefinition();
    applyToEntity(job, { ...spec, params });
    Object.assign(job, { paused: body.paused ?? false, pauseNote: body.pauseNote ?? null, managedBy, createdBy: actor, updatedBy: actor });
    try {
      await em.transactional(async (tx) => {
        tx.persist(job);
        audit(tx, { actor, action: 'job.create', jobKey: job.key, after: toDto(job) });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('job_exists', `Job "${body.key}" already exists`);
      throw err;
    }
    return resultOf(job.key, await this.syncer.syncJob(job.key));
  }

  async update(key: string, ifMatch: number, patch: UpdateJobBody, actor: string, opts: { fromConfig?: boolean } = {}): Promise<CommandResult> {
    const updated = await this.change(key, actor, 'job.update', null, (job) => {
      if (job.managedBy === 'config' && !opts.fromConfig) {
        throw conflict('config_managed', `Job "${key}" is defined in config/jobs.yaml; edit it there and run pnpm jobs:sync`);
      }
      if (job.version !== ifMatch) {
        throw new ApiError(412, 'version_mismatch', `Job "${key}" is at version ${job.version}, not ${ifMatch}; reload it and retry`);
      }
      const spec = mergeDefinition(definitionOf(job), patch);
      const { params } = validateDefinition(spec, patch);
      applyToEntity(job, { ...spec, params });
    });
    return resultOf(key, updated);
  }

  async setPaused(key: string, paused: boolean, note: string | null, actor: string): Promise<CommandResult> {
    const changed = await this.change(key, actor, paused ? 'job.pause' : 'job.resume', note, (job) => {
      job.paused = paused;
      job.pauseNote = paused ? note : null;
    });
    return resultOf(key, changed);
  }

  /** Marks the job deleted (pending); the syncer removes the schedule and then the row. */
  async remove(key: string, actor: string, opts: { fromConfig?: boolean } = {}): Promise<{ deleted: boolean }> {
    const after = await this.change(key, actor, 'job.delete', null, (job) => {
      if (job.managedBy === 'config' && !opts.fromConfig) {
        throw conflict('config_managed', `Job "${key}" is defined in config/jobs.yaml; remove it there and run pnpm jobs:sync`);
      }
      job.deletedAt = new Date();
    });
    return { deleted: !after };
  }

  /** Run now: one trigger of the job's schedule, answered with what Temporal did with it (see schedule-trigger.ts). */
  async trigger(key: string, overlap: OverlapPolicy | undefined, actor: string): Promise<TriggerJobResult> {
    const job = await this.syncedJob(key);
    const result = await triggerSchedule(this.triggerDeps, scheduleIdFor(key), overlap ? overlapToTemporal(overlap) : undefined);
    await this.record({ actor, action: 'job.trigger', jobKey: key, after: { overlap: overlap ?? job.overlapPolicy, ...result } });
    return result;
  }

  /**
   * Replays the schedule's slots in [from, to]. For a latest-state job, slots older than its newest
   * committed slot are named first: a 409 slot_superseded unless `confirmSuperseded`, and in the
   * answer (a dry run only answers). Slots of the backfill itself may still supersede each other when
   * they run side by side; the worker decides that in the chunk transaction.
   */
  async backfill(
    key: string,
    req: { from: Date; to: Date; overlap?: OverlapPolicy; confirmSuperseded?: boolean; dryRun?: boolean },
    actor: string,
  ): Promise<BackfillResult> {
    const { from, to, overlap } = req;
    if (!(from < to)) throw badRequest('"from" must be before "to"', [{ field: 'to', message: 'must be after from' }]);
    const job = await this.syncedJob(key);
    // The main schedule skips the clock-change windows; their slots are the companion's, when there is one.
    const scheduleIds = [scheduleIdFor(key)];
    if (await this.temporalCall(() => describeSchedule(this.temporal, dstScheduleIdFor(key)))) scheduleIds.push(dstScheduleIdFor(key));
    const limit = this.opts.maxBackfillSlots;
    const times: Date[] = [];
    for (const id of scheduleIds) times.push(...(await this.temporalCall(() => this.matchingTimes(id, from, to, limit))));
    times.sort((a, b) => a.getTime() - b.getTime());
    const slots = times.length;
    if (slots > limit) {
      // Each schedule's count stops past the limit, so the total is a lower bound here, not a count.
      throw badRequest(`Backfill would start more than ${limit} runs; the limit is ${limit}. Narrow the range.`, [
        { field: 'to', message: `range holds more than ${limit} slots` },
      ]);
    }
    const superseded = supersededAmong(job.kind, times, await readStateSlot(this.orm.em.fork(), key));
    if (req.dryRun) return { slots, started: false, superseded };
    if (superseded && !req.confirmSuperseded) throw supersededConflict(key, job.kind, superseded, slots);
    for (const id of scheduleIds) {
      await this.temporalCall(() => this.temporal.schedule.getHandle(id).backfill([{ start: from, end: to, overlap: overlapToTemporal(overlap ?? 'allow_all') }]));
    }
    await this.record({ actor, action: 'job.backfill', jobKey: key, after: { from, to, overlap, slots, superseded: superseded?.count ?? 0 } });
    return { slots, started: true, superseded };
  }

  /** Audits a run action (cancel, retry), keyed by the run's job. */
  async recordRunAction(actor: string, action: string, workflowId: string, after?: { jobKey: string; slot: string; workflowId: string }): Promise<void> {
    const jobKey = after?.jobKey ?? /^tk-(.+?)-\d{4}-\d{2}-\d{2}T/.exec(workflowId)?.[1] ?? null;
    await this.record({ actor, action, jobKey, before: { workflowId }, after: after ?? null });
  }

  /**
   * Slots the schedule's own spec has in [from, to], as Temporal computes them, up to `cap + 1`.
   * The server returns at most a page of times per call, so this pages forward from the last one.
   */
  private async matchingTimes(scheduleId: string, from: Date, to: Date, cap: number): Promise<Date[]> {
    type Request = Parameters<typeof this.temporal.workflowService.listScheduleMatchingTimes>[0];
    const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
    const out: Date[] = [];
    let cursor = from.getTime();
    while (out.length <= cap) {
      const request = { namespace: this.temporal.options.namespace, scheduleId, startTime: ts(cursor), endTime: ts(to.getTime()) } as unknown as Request;
      const res = (await this.temporal.workflowService.listScheduleMatchingTimes(request)) as { startTime?: Array<{ seconds?: unknown; nanos?: number }> };
      const times = (res.startTime ?? []).map((t) => new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)));
      if (!times.length) break;
      out.push(...times);
      const lastMs = times[times.length - 1].getTime();
      if (lastMs + 1 >= to.getTime()) break;
      cursor = lastMs + 1;
    }
    return out.slice(0, cap + 1);
  }

  /** Loads the live row, applies a mutation, bumps the version and audits, all in one transaction; then syncs. */
  private async change(key: string, actor: string, action: string, note: string | null, mutate: (job: JobDefinition) => void): Promise<JobDefinition | null> {
    await this.orm.em.fork().transactional(async (tx: EntityManager) => {
      const job = await tx.findOne(JobDefinition, { key, deletedAt: null });
      if (!job) throw notFound(`Job "${key}"`);
      const before = toDto(job);
      mutate(job);
      Object.assign(job, { updatedBy: actor, syncStatus: 'pending', syncAttempts: 0, nextSyncAt: null });
      audit(tx, { actor, action, jobKey: key, before, after: job.deletedAt ? null : toDto(job), note });
    });
    return this.syncer.syncJob(key);
  }

  private async syncedJob(key: string): Promise<JobDefinition> {
    const job = await this.orm.em.fork().findOne(JobDefinition, { key, deletedAt: null });
    if (!job) throw notFound(`Job "${key}"`);
    if (job.syncStatus !== 'synced') {
      throw conflict('sync_pending', `Job "${key}" is not in step with Temporal yet: ${publicSyncError(job.syncError) ?? 'its latest change is still being pushed.'} Retry shortly.`);
    }
    return job;
  }

  private temporalCall<T>(fn: () => Promise<T>): Promise<T> {
    return temporalCall(this.temporal, this.opts.callTimeoutMs, fn);
  }

  private async record(entry: Parameters<typeof audit>[1]): Promise<void> {
    const em = this.orm.em.fork();
    audit(em, entry);
    await em.flush();
  }
}

/** The row after a change and whether Temporal has it yet (201/200 when synced, 202 when pending). */
function resultOf(key: string, job: JobDefinition | null): CommandResult {
  if (!job) throw notFound(`Job "${key}"`);
  return { job, synced: job.syncStatus === 'synced' };
}
