import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { dstScheduleIdFor, scheduleIdFor } from '@timekeeper/contracts';
import { AuditEntry, JobDefinition, type MikroORM } from '@timekeeper/db';
import { describeSchedule, jobFingerprintOf } from '@timekeeper/scheduling';
import type { Logger } from 'pino';
import type { PolicyBook } from './policies';

/** The note of a schedule paused by a maintenance window (so only such a pause is lifted by one). */
export const WINDOW_NOTE = 'timekeeper maintenance:';

type ScheduleState = { paused: boolean; note?: string };

/**
 * Pauses a job's schedules (the main one and its clock-change companion) while a pause window covers
 * it and resumes them after: only a pause of its own, told by its note; never a job Timekeeper itself
 * has paused. It then stores the job's schedule fingerprint, so the API's reconciler does not take the
 * pause for drift, and audits `job.window_pause` / `job.window_resume` by `maintenance`.
 * Its own loop (every ALERTING_WINDOW_POLL_MS) keeps windows on time whatever a sweep pass costs; the
 * sweeper also calls it, with the listing's state, before its drift check. One job at a time.
 */
export class WindowEnforcer {
  // Job -> whether its schedule is paused by a window, as last seen or set (unknown: describe once).
  private readonly paused = new Map<string, boolean>();
  private readonly busy = new Map<string, Promise<void>>();
  // Jobs whose schedules this enforcer has paused or resumed (their stored fingerprint is newer than a pass's read).
  private readonly touched = new Set<string>();

  constructor(private readonly ctx: { orm: MikroORM; temporal: Client; policies: PolicyBook; logger: Logger }) {}

  /** Every job some window covers, and every job still paused by one. */
  async pass(): Promise<void> {
    const keys = new Set([...(await this.ctx.policies.coveredJobKeys()), ...[...this.paused].filter(([, p]) => p).map(([k]) => k)]);
    if (!keys.size) return;
    const jobs = await this.ctx.orm.em.fork().find(JobDefinition, { key: { $in: [...keys] }, deletedAt: null });
    for (const job of jobs) await this.apply(job);
  }

  /** Brings one job's schedules in line with its windows now; `state`: the main schedule as just listed. */
  apply(job: JobDefinition, state?: ScheduleState, companion?: boolean): Promise<void> {
    const next = (this.busy.get(job.key) ?? Promise.resolve()).then(() => this.enforce(job, state, companion));
    const settled = next.catch(() => undefined).finally(() => {
      if (this.busy.get(job.key) === settled) this.busy.delete(job.key);
    });
    this.busy.set(job.key, settled);
    return next;
  }

  private async enforce(job: JobDefinition, listed: ScheduleState | undefined, companion: boolean | undefined): Promise<void> {
    if (job.paused || job.syncStatus !== 'synced') return;
    const pausing = await this.ctx.policies.pausingAt(job.key, new Date());
    const known = this.paused.get(job.key);
    if (known === !!pausing) {
      // As it should be. The loop may have paused or resumed it since the sweeper read the job: the
      // sweeper's drift check needs the fingerprint stored then.
      if (known || this.touched.has(job.key)) {
        const [row] = await this.ctx.orm.em.fork().execute<Array<{ f: string | null }>>('select schedule_fingerprint f from job_definitions where `key` = ?', [job.key]);
        if (row) job.scheduleFingerprint = row.f;
      }
      return;
    }
    const main = this.ctx.temporal.schedule.getHandle(scheduleIdFor(job.key));
    const state: ScheduleState = known === undefined && listed ? listed : (await main.describe()).state;
    const ours = state.paused && (state.note?.startsWith(WINDOW_NOTE) ?? false);
    let action: 'job.window_pause' | 'job.window_resume';
    if (pausing && !state.paused) action = 'job.window_pause';
    else if (!pausing && ours) action = 'job.window_resume';
    // A change made by an attempt that failed before recording it (its describe or audit): made again
    // (pause and unpause are idempotent, and the companion may be the one that failed) and recorded.
    else if (pausing && ours && known === false) action = 'job.window_pause';
    else if (!pausing && !state.paused && known === true) action = 'job.window_resume';
    else {
      this.paused.set(job.key, ours);
      return;
    }
    this.touched.add(job.key);
    const dst = companion === false ? null : this.ctx.temporal.schedule.getHandle(dstScheduleIdFor(job.key));
    for (const handle of [main, dst]) {
      if (!handle) continue;
      try {
        if (pausing) await handle.pause(`${WINDOW_NOTE} ${pausing.label} until ${pausing.until.toISOString()}: ${pausing.reason}`.slice(0, 1000));
        else await handle.unpause(`${WINDOW_NOTE} ended`);
      } catch (err) {
        if (handle === dst && err instanceof ScheduleNotFoundError) continue; // no companion
        throw err;
      }
    }
    const [mainDesc, dstDesc] = await Promise.all([main.describe(), dst ? describeSchedule(this.ctx.temporal, dstScheduleIdFor(job.key)) : null]);
    job.scheduleFingerprint = jobFingerprintOf(mainDesc, dstDesc); // a drift check later in the same pass reads it
    const em = this.ctx.orm.em.fork();
    await em.execute('update job_definitions set schedule_fingerprint = ? where `key` = ?', [job.scheduleFingerprint, job.key]);
    em.persist(Object.assign(new AuditEntry(), { actor: 'maintenance', action, jobKey: job.key, note: pausing ? `${pausing.label}: ${pausing.reason}` : 'window ended' }));
    await em.flush();
    // Only once recorded: a failure above leaves the old belief, so the next pass completes the change.
    this.paused.set(job.key, !!pausing);
    this.ctx.logger.info({ jobKey: job.key, action, window: pausing?.label }, 'maintenance window');
  }
}
