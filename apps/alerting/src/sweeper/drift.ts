import type { ScheduleDescription } from '@temporalio/client';
import { formatDuration, scheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { JobDefinition, utcDate } from '@timekeeper/db';
import { jobFingerprintOf, overlapToTemporal } from '@timekeeper/scheduling';
import type { SweepContext } from './context';

/**
 * How a schedule differs from the definition Timekeeper last pushed, in words; empty when in step.
 * Only meaningful for a synced definition (while a change is being pushed the two differ by design).
 */
export function driftOf(desc: ScheduleDescription, job: JobDefinition, dst: ScheduleDescription | null): string[] {
  const changes: string[] = [];
  if (desc.state.paused !== job.paused) {
    changes.push(
      desc.state.paused
        ? `paused in Temporal${desc.state.note ? ` ("${desc.state.note}")` : ''} while Timekeeper has it running`
        : 'running in Temporal while Timekeeper has it paused',
    );
  }
  // The stored fingerprint covers both of the job's schedules: the main one and its clock-change companion.
  if (job.scheduleFingerprint && jobFingerprintOf(desc, dst) !== job.scheduleFingerprint) {
    const named: string[] = [];
    const overlap = overlapToTemporal(job.overlapPolicy);
    if (desc.policies.overlap !== overlap) named.push(`overlap policy ${overlap} -> ${desc.policies.overlap}`);
    if (desc.policies.catchupWindow !== job.catchupWindowMs) {
      named.push(`catch-up window ${formatDuration(job.catchupWindowMs)} -> ${formatDuration(desc.policies.catchupWindow)}`);
    }
    if ((desc.spec.timezone ?? 'UTC') !== job.timezone) named.push(`time zone ${job.timezone} -> ${desc.spec.timezone ?? 'UTC'}`);
    const every = desc.spec.intervals?.[0]?.every ?? null;
    if (job.intervalMs && every !== job.intervalMs) named.push(`interval ${formatDuration(job.intervalMs)} -> ${every ? formatDuration(every) : 'none'}`);
    if (!job.intervalMs && every) named.push(`cron ${job.cron} -> an interval of ${formatDuration(every)}`);
    const action = desc.action as { args?: RunInput[]; workflowExecutionTimeout?: number };
    const version = action.args?.[0]?.definitionVersion;
    if (version !== undefined && version !== job.version) named.push(`run input of definition version ${version}, not ${job.version}`);
    if (action.workflowExecutionTimeout !== undefined && action.workflowExecutionTimeout !== job.timeouts.runMs) {
      named.push(`run timeout ${formatDuration(job.timeouts.runMs)} -> ${formatDuration(action.workflowExecutionTimeout)}`);
    }
    // The pause state is part of the fingerprint: when it alone differs it is already named.
    if (named.length === 0 && changes.length === 0) named.push('the schedule or its clock-change companion was edited outside Timekeeper (spec or action differs)');
    changes.push(...named);
  }
  return changes;
}

type OpenJobAlert = { kind: 'schedule_missing' | 'schedule_drift'; slot: Date };

/**
 * Job-level alerts about the schedule itself: missing in Temporal (critical), or paused or edited
 * outside Timekeeper (warning, naming what changed). One open alert per job and kind; it resolves
 * once the schedule is in step again (the API's reconciler repairs drift). Which jobs have one open
 * is kept in memory, so the pass costs no query per job.
 */
export class DriftAlerts {
  private open: Map<string, OpenJobAlert[]> | null = null;

  constructor(private readonly ctx: SweepContext) {}

  private async openAlerts(): Promise<Map<string, OpenJobAlert[]>> {
    if (!this.open) {
      const rows = await this.ctx.orm.em.fork().execute<Array<{ job_key: string; kind: OpenJobAlert['kind']; slot: string }>>(
        "select job_key, kind, slot from alerts where status <> 'resolved' and kind in ('schedule_missing', 'schedule_drift')",
      );
      this.open = new Map();
      for (const r of rows) this.open.set(r.job_key, [...(this.open.get(r.job_key) ?? []), { kind: r.kind, slot: utcDate(r.slot) }]);
    }
    return this.open;
  }

  /** Compares the schedules (null: missing) with the job and raises or resolves its job alerts. */
  async check(job: JobDefinition, desc: ScheduleDescription | null, dst: ScheduleDescription | null, now: number): Promise<void> {
    if (!desc) {
      // A definition still being pushed is not missing yet, unless the push has been failing for a while.
      const pendingTooLong = now - job.updatedAt.getTime() > Math.max(job.gracePeriodMs, 60_000);
      if (job.syncStatus === 'synced' || pendingTooLong) {
        await this.raise(job, 'schedule_missing', `schedule ${scheduleIdFor(job.key)} is missing in Temporal: no slot of this job will run`, [], 'missing', now);
      }
      return;
    }
    const changes = job.syncStatus === 'synced' ? driftOf(desc, job, dst) : [];
    if (changes.length && (await this.stillSynced(job))) {
      await this.raise(job, 'schedule_drift', `schedule changed outside Timekeeper: ${changes.join('; ')}`, changes, changes.join('|'), now);
      await this.resolve(job.key, ['schedule_missing']);
      return;
    }
    if (!changes.length) await this.resolve(job.key, ['schedule_missing', 'schedule_drift']);
  }

  /** Whether the job has an open job alert (its schedule is then described every pass until it resolves). */
  async hasOpen(jobKey: string): Promise<boolean> {
    return (await this.openAlerts()).has(jobKey);
  }

  /** The job is deleted: its job alerts go with it (the caller resolves every alert of the job). */
  forget(jobKey: string): void {
    this.open?.delete(jobKey);
  }

  // Read again after the describe: a change committed meanwhile would otherwise look like drift.
  private async stillSynced(job: JobDefinition): Promise<boolean> {
    const now = await this.ctx.orm.em.fork().findOne(JobDefinition, { key: job.key }, { fields: ['version', 'syncStatus', 'scheduleFingerprint'] });
    return !!now && now.version === job.version && now.syncStatus === 'synced' && now.scheduleFingerprint === job.scheduleFingerprint;
  }

  private async raise(job: JobDefinition, kind: OpenJobAlert['kind'], reason: string, changes: string[], observation: string, now: number): Promise<void> {
    const open = await this.openAlerts();
    const existing = open.get(job.key)?.find((a) => a.kind === kind);
    const slot = existing?.slot ?? new Date(Math.floor(now / 1000) * 1000);
    await this.ctx.store.raise({
      jobKey: job.key,
      slot,
      kind,
      reason,
      observation,
      details: { errorType: kind, errorMessage: reason, source: 'drift', ...(changes.length ? { changes } : {}) },
    });
    if (!existing) open.set(job.key, [...(open.get(job.key) ?? []), { kind, slot }]);
  }

  private async resolve(jobKey: string, kinds: OpenJobAlert['kind'][]): Promise<void> {
    const open = await this.openAlerts();
    const mine = open.get(jobKey);
    if (!mine?.some((a) => kinds.includes(a.kind))) return;
    const ids = (await this.ctx.store.unresolvedOf(jobKey, kinds)).map((a) => a.id);
    await this.ctx.store.resolve(ids, 'recovery', 'the schedule is in step with its definition again');
    const left = mine.filter((a) => !kinds.includes(a.kind));
    if (left.length) open.set(jobKey, left);
    else open.delete(jobKey);
  }
}
