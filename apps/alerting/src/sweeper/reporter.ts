import { utcDate, type SlotStatus } from '@timekeeper/db';
import { writeRunEvent } from '../run-events';
import { temporalRunUrl } from '../store';
import type { SweepContext } from './context';
import { eachLimit } from '@timekeeper/runtime';
import { healthOf, judgedNear, leading } from './streaks';
import { alertOfVerdict, SLOT_OUTCOME_KINDS, SLOT_WARNING_KINDS, verdictSource } from './verdicts';

type Row = {
  id: number;
  job_key: string;
  nominal_time: string;
  status: SlotStatus;
  workflow_id: string | null;
  run_id: string | null;
  attempt: number;
  runs: number;
  started_at: string | null;
  finished_at: string | null;
  error_type: string | null;
  error_message: string | null;
  revision: number;
};

const ROW_COLUMNS = 'id, job_key, nominal_time, status, workflow_id, run_id, attempt, runs, started_at, finished_at, error_type, error_message, revision';

const TERMINAL = new Set<SlotStatus>(['succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed', 'paused']);

/**
 * Turns ledger changes into what the world sees: a run event for each state, an alert for each bad
 * verdict (one per job, slot and kind; a later run of the slot that fails again raises its count),
 * and resolutions. Rows to report carry `report_pending`, set by the very statement that changed
 * them, and it is cleared only for the revision reported: no clock, cursor or row lock decides what
 * is read, so nothing is stepped over, and a re-run repeats nothing (observations are deduplicated).
 */
export class Reporter {
  constructor(
    private readonly ctx: SweepContext,
    private readonly batch = 500,
    private readonly concurrency = 16,
  ) {}

  /** Reports pending rows until none are left; returns how many were reported. */
  async pass(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.ctx.orm.em.fork().execute<Row[]>(
        `select ${ROW_COLUMNS} from job_slots where report_pending = 1 order by id limit ?`,
        [this.batch],
      );
      // Jobs in parallel, each job's rows in order (a success's resolutions follow the failures before it).
      const byJob = new Map<string, Row[]>();
      for (const row of rows) byJob.set(row.job_key, [...(byJob.get(row.job_key) ?? []), row]);
      await eachLimit([...byJob.values()], this.concurrency, async (jobRows) => {
        for (const row of jobRows) {
          await this.report(row);
          await this.ctx.orm.em.fork().execute('update job_slots set report_pending = 0 where id = ? and revision = ?', [row.id, row.revision], 'run');
        }
      });
      total += rows.length;
      if (rows.length < this.batch) return total;
    }
  }

  private async report(row: Row): Promise<void> {
    const slot = utcDate(row.nominal_time);
    await this.ctx.orm.em.fork().transactional((tx) =>
      writeRunEvent(tx, this.ctx.runsTopic, {
        jobKey: row.job_key,
        slot,
        status: row.status,
        workflowId: row.workflow_id,
        runId: row.run_id,
        attempt: row.attempt,
        startedAt: utcDate(row.started_at),
        finishedAt: utcDate(row.finished_at),
        errorType: row.error_type,
        errorMessage: row.error_message,
      }),
    );
    if (!TERMINAL.has(row.status)) return;
    if (alertOfVerdict({ status: row.status, errorType: row.error_type })) await this.failure(row, slot);
    // The slot has its verdict: warnings that it had none yet (late start, overdue) are over.
    const warnings = await this.ctx.store.unresolvedOf(row.job_key, SLOT_WARNING_KINDS, slot);
    await this.ctx.store.resolve(warnings.map((a) => a.id), 'recovery', `the slot reached its verdict: ${row.status}`);
    if (row.status === 'succeeded') {
      await this.tooFast(row, slot);
      await this.succeeded(row.job_key, slot, row.runs);
    }
  }

  /**
   * A bad verdict raises its slot's alert once the job's failure streak reaches failureThreshold: the
   * Nth consecutive bad slot (neutral ones skipped) and every bad one after it. The verdict itself is
   * in the ledger whatever the threshold says. A verdict landing out of order (an earlier slot judged
   * after later ones) may complete a streak: later bad slots it now reaches are raised too.
   */
  private async failure(row: Row, slot: Date): Promise<void> {
    const { failureThreshold: n } = await this.ctx.policies.of(row.job_key);
    if (n <= 1) {
      await this.raiseSlot(row, slot, null);
      return;
    }
    const em = this.ctx.orm.em.fork();
    const scan = 4 * n + 20;
    const before = await judgedNear<Row>(em, 'nominal_time, status, error_type', row.job_key, slot, 'before', scan);
    // This slot counts with the verdict being reported (the row may have been re-run since).
    const position = leading([row, ...before.filter((b) => utcDate(b.nominal_time).getTime() !== slot.getTime())], 'bad');
    if (position >= n) await this.raiseSlot(row, slot, position);
    let p = position;
    for (const later of await judgedNear<Row>(em, ROW_COLUMNS, row.job_key, slot, 'after', scan)) {
      const health = healthOf(later);
      if (health === 'neutral') continue;
      if (health === 'good') break;
      p++;
      if (p >= n) await this.raiseSlot(later, utcDate(later.nominal_time), p);
    }
  }

  private async raiseSlot(row: Row, slot: Date, consecutive: number | null): Promise<void> {
    const alert = alertOfVerdict({ status: row.status, errorType: row.error_type });
    if (!alert) return;
    const source = verdictSource({ status: row.status, errorType: row.error_type });
    await this.ctx.store.raise({
      jobKey: row.job_key,
      slot,
      kind: alert.kind,
      severity: alert.severity,
      reason: source === 'schedule' ? (row.error_type ?? 'missed') : `${row.error_type ?? alert.kind}: ${row.error_message ?? 'no message'}`,
      // A run's failure is observed once per run; a slot without a run once.
      observation: row.run_id ?? 'absent',
      details: {
        errorType: row.error_type,
        errorMessage: row.error_message,
        attempt: row.run_id ? row.attempt : null,
        workflowId: row.workflow_id,
        runId: row.run_id,
        temporalUrl: temporalRunUrl(this.ctx.temporalUiUrl, this.ctx.namespace, row.workflow_id, row.run_id),
        source,
        ...(consecutive !== null ? { consecutiveFailures: consecutive } : {}),
      },
    });
  }

  /** A success far under the job's usual duration (a sign it did nothing), against the runs before it. */
  private async tooFast(row: Row, slot: Date): Promise<void> {
    if (!row.started_at || !row.finished_at || !row.run_id) return;
    const durationMs = utcDate(row.finished_at).getTime() - utcDate(row.started_at).getTime();
    const baseline = await this.ctx.policies.baseline(row.job_key, slot);
    if (!baseline || baseline.tooFastUnderMs === null || durationMs >= baseline.tooFastUnderMs) return;
    await this.ctx.store.raise({
      jobKey: row.job_key,
      slot,
      kind: 'too_fast',
      reason: `succeeded in ${durationMs} ms, under ${baseline.tooFastUnderMs} ms (usual p50 ${baseline.p50Ms} ms over ${baseline.runs} runs)`,
      observation: row.run_id,
      details: {
        durationMs,
        thresholdMs: baseline.tooFastUnderMs,
        baseline: { p50Ms: baseline.p50Ms, p95Ms: baseline.p95Ms, runs: baseline.runs },
        attempt: row.attempt,
        workflowId: row.workflow_id,
        runId: row.run_id,
        temporalUrl: temporalRunUrl(this.ctx.temporalUiUrl, this.ctx.namespace, row.workflow_id, row.run_id),
        source: 'ledger',
      },
    });
  }

  /**
   * A success resolves the slot's own alerts (it was retried or backfilled) and tells the job's
   * earlier alerts that the job is healthy again, without claiming their slots ever ran.
   */
  private async succeeded(jobKey: string, slot: Date, runs: number): Promise<void> {
    const own = await this.ctx.store.unresolvedOf(jobKey, SLOT_OUTCOME_KINDS, slot);
    await this.ctx.store.resolve(own.map((a) => a.id), 'recovery', `the slot succeeded on run ${runs}`);
    const earlier = (await this.ctx.store.unresolvedOf(jobKey, SLOT_OUTCOME_KINDS)).filter((a) => a.slot < slot && !a.recoveredAt);
    if (!earlier.length) return;
    // Healthy again once the latest judged slots up to this one are recoveryThreshold successes in a row.
    const { recoveryThreshold: m } = await this.ctx.policies.of(jobKey);
    const before = await judgedNear<Row>(this.ctx.orm.em.fork(), 'status, error_type', jobKey, slot, 'before', 4 * m + 20);
    if (leading(before, 'good') < m) return;
    const recovered = earlier.map((a) => a.id);
    await this.ctx.store.recover(recovered);
  }
}
