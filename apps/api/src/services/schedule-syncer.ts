import type { Client } from '@temporalio/client';
import { dstScheduleIdFor, scheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { JobDefinition, type EntityManager, type MikroORM } from '@timekeeper/db';
import type { Logger } from '@timekeeper/runtime';
import { applySchedule, checkCron, deleteSchedule, describeSchedule, jobFingerprint, listOwnedScheduleIds, slotScheduleOf, type SlotPlanner } from '@timekeeper/scheduling';
import { audit } from './audit';
import { desiredScheduleOf } from './job-mapper';
import { StoredCronInvalid, syncFailureMessage } from './sync-failure';
import { APPLY_CALLS, PLAN_CALLS } from './temporal-call';

export type SyncerOptions = { taskQueue: string; instance: string; callTimeoutMs: number; maxBackoffMs: number };


/**
 * Keeps Temporal in step with MySQL. MySQL is the truth: a change commits there first (pending), then
 * syncJob pushes it to Temporal: the job's main schedule and, when its cron meets clock changes, the
 * companion that fires those slots (see scheduling/dst-plan.ts). Failures leave the row pending with a
 * backoff; reconcilePending retries them, and repairDrift fixes schedules that went missing, were
 * changed outside Timekeeper, or have no definition any more, and rolls the clock-change plan forward
 * when a month turns and a transition enters (or leaves) its span.
 */
export class ScheduleSyncer {
  private readonly inFlight = new Map<string, Promise<JobDefinition | null>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly temporal: Client,
    private readonly planner: SlotPlanner,
    private readonly logger: Logger,
    private readonly opts: SyncerOptions,
  ) {}

  /** Pushes one job's stored state to Temporal; returns the row afterwards (null once deleted). Serialised per key. */
  syncJob(key: string): Promise<JobDefinition | null> {
    const previous = this.inFlight.get(key) ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(() => this.syncOnce(key));
    this.inFlight.set(key, next);
    void next.finally(() => {
      if (this.inFlight.get(key) === next) this.inFlight.delete(key);
    });
    return next;
  }

  private async syncOnce(key: string): Promise<JobDefinition | null> {
    const em = this.orm.em.fork();
    const row = await em.findOne(JobDefinition, { key });
    if (!row) return null;
    const scheduleId = scheduleIdFor(key);
    try {
      if (row.deletedAt) {
        // The companion first: while the main schedule exists, a companion is never an orphan.
        await this.withDeadline(() => deleteSchedule(this.temporal, dstScheduleIdFor(key)));
        await this.withDeadline(() => deleteSchedule(this.temporal, scheduleId));
        await em.nativeDelete(JobDefinition, { id: row.id, version: row.version });
        return null;
      }
      const cron = row.cron ? checkCron(row.cron) : null;
      if (cron && !cron.ok) throw new StoredCronInvalid(`stored cron is invalid: ${cron.message}`);
      const plan = await this.withDeadline(() => this.planner.plan(slotScheduleOf(row), new Date()), PLAN_CALLS);
      const print = await this.withDeadline(
        () => applySchedule(this.temporal, desiredScheduleOf(row, this.opts, cron ? cron.temporalCron : null, plan.windows)),
        APPLY_CALLS,
      );
      // Only if nobody changed the definition meanwhile; otherwise their own sync follows.
      await setSyncState(em, row, {
        sync_status: 'synced',
        sync_error: null,
        schedule_fingerprint: print,
        dst_plan_hash: plan.hash,
        dst_plan_until: new Date(plan.until),
        sync_attempts: 0,
        next_sync_at: null,
        synced_at: new Date(),
      });
    } catch (err) {
      const attempts = row.syncAttempts + 1;
      const backoff = Math.min(this.opts.maxBackoffMs, 1_000 * 2 ** Math.min(attempts - 1, 10));
      // The raw error goes to the log only; the row (which clients read) gets a fixed sentence.
      const syncError = syncFailureMessage(err);
      this.logger.warn({ jobKey: key, attempts, err: err instanceof Error ? err.message : String(err), syncError }, 'schedule sync failed; will retry');
      await setSyncState(em, row, { sync_status: 'pending', sync_error: syncError, sync_attempts: attempts, next_sync_at: new Date(Date.now() + backoff) });
    }
    return em.fork().findOne(JobDefinition, { key });
  }

  private withDeadline<T>(fn: () => Promise<T>, calls = 1): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + calls * this.opts.callTimeoutMs, fn);
  }

  /** Retries every pending row whose backoff has passed. */
  async reconcilePending(): Promise<number> {
    const due = await this.orm.em.fork().find(
      JobDefinition,
      { syncStatus: { $ne: 'synced' }, $or: [{ nextSyncAt: null }, { nextSyncAt: { $lte: new Date() } }] },
      { fields: ['key'], limit: 100 },
    );
    for (const { key } of due) await this.syncJob(key);
    return due.length;
  }

  /**
   * Compares every synced definition with its schedules and repairs what differs; deletes schedules
   * with our prefix that no definition owns. Each repair is logged and audited. A job whose
   * clock-change plan is not the one its schedules carry (a month turned and a transition entered the
   * span, or Temporal's zone data changed) is rewritten too: routine, so logged but not audited.
   */
  async repairDrift(): Promise<{ missing: string[]; drifted: string[]; orphans: string[]; rolled: string[] }> {
    // List schedules before reading rows: a schedule created after the rows were read can't look orphaned.
    const owned = await this.withDeadline(() => listOwnedScheduleIds(this.temporal, this.opts.instance));
    const em = this.orm.em.fork();
    const rows = await em.find(JobDefinition, {});
    const result = { missing: [] as string[], drifted: [] as string[], orphans: [] as string[], rolled: [] as string[] };
    for (const row of rows) {
      if (row.deletedAt || row.syncStatus !== 'synced') continue;
      const scheduleId = scheduleIdFor(row.key);
      const [desc, print] = await this.withDeadline(
        () => Promise.all([describeSchedule(this.temporal, scheduleId), jobFingerprint(this.temporal, scheduleId, dstScheduleIdFor(row.key))]),
        3,
      );
      const input = (desc?.action as { args?: RunInput[] } | undefined)?.args?.[0];
      const reason = !desc ? 'missing' : print !== row.scheduleFingerprint || input?.definitionVersion !== row.version ? 'drifted' : null;
      if (reason) {
        result[reason].push(row.key);
        this.logger.warn({ jobKey: row.key, reason }, 'schedule out of step with its definition; repairing');
        await this.recordRepair(`schedule.repair.${reason}`, row.key, 'Temporal schedule did not match the stored definition');
      } else {
        const plan = await this.withDeadline(() => this.planner.plan(slotScheduleOf(row), new Date()), PLAN_CALLS);
        if (plan.hash === row.dstPlanHash) continue;
        result.rolled.push(row.key);
        this.logger.info({ jobKey: row.key, until: new Date(plan.until).toISOString() }, 'clock-change plan moved on; rewriting the schedules');
      }
      await setSyncState(em, row, { sync_status: 'pending' });
      await this.syncJob(row.key);
    }
    const known = new Set(rows.flatMap((r) => [scheduleIdFor(r.key), dstScheduleIdFor(r.key)]));
    for (const scheduleId of owned) {
      if (known.has(scheduleId)) continue;
      result.orphans.push(scheduleId);
      this.logger.warn({ scheduleId }, 'orphan schedule without a definition; deleting');
      await this.withDeadline(() => deleteSchedule(this.temporal, scheduleId));
      await this.recordRepair('schedule.repair.orphan', null, `deleted orphan schedule ${scheduleId}`);
    }
    return result;
  }

  private async recordRepair(action: string, jobKey: string | null, note: string): Promise<void> {
    const em = this.orm.em.fork();
    audit(em, { actor: 'reconciler', action, jobKey, note });
    await em.flush();
  }
}

/**
 * Sync bookkeeping is not a change to the definition: written with plain SQL so the version (the
 * If-Match token) stays put, and only while the row is still at the version that was pushed.
 */
async function setSyncState(em: EntityManager, row: JobDefinition, fields: Record<string, string | number | Date | null>): Promise<void> {
  const columns = Object.keys(fields);
  await em.getConnection().execute(
    `update job_definitions set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ? and version = ?`,
    [...Object.values(fields), row.id, row.version],
  );
}
