import type { AlertDetails, AlertKind, AlertSeverity, AlertEvent } from '@timekeeper/contracts';
import { Alert, AlertingCursor, LockMode, markResolved, writeAlertEvent, type EntityManager, type MikroORM } from '@timekeeper/db';

export type RaiseInput = {
  jobKey: string;
  slot: Date;
  kind: AlertKind;
  reason: string;
  details: AlertDetails;
  /**
   * What was seen, unique within (job, slot, kind): a run id for a failure, a fixed word for an absent
   * slot. The same observation raised twice (two detectors, a re-read window, two instances) is a no-op;
   * a new one (a retried run that failed again) raises the open alert's count.
   */
  observation: string;
  severity?: AlertSeverity;
};

const SEVERITY: Record<AlertKind, AlertSeverity> = {
  failed: 'critical',
  timed_out: 'critical',
  terminated: 'critical',
  missed: 'critical',
  cancelled: 'warning',
  late_start: 'warning',
  overdue: 'warning',
  schedule_missing: 'critical',
  schedule_drift: 'warning',
  webhook_failed: 'warning',
  outbox_dead_letter: 'critical',
};

type Exec = { affectedRows?: number };

/** Alerts in MySQL, each change with its outbox event in the same transaction. */
export class AlertStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly alertsTopic: string,
    private readonly onEvent: (e: AlertEvent) => void = () => undefined,
  ) {}

  /** Raises (or repeats) the alert for an observation; null when that observation was already recorded. */
  async raise(input: RaiseInput): Promise<AlertEvent | null> {
    const slotIso = input.slot.toISOString();
    const openKey = `${input.jobKey}|${slotIso}|${input.kind}`;
    const event = await this.orm.em.fork().transactional(async (tx) => {
      const seen = await tx.execute<Exec>('insert ignore into alert_observations (`key`, created_at) values (?, ?)', [`${openKey}|${input.observation}`.slice(0, 255), new Date()], 'run');
      if (!seen.affectedRows) return null;
      const now = new Date();
      const res = await tx.execute<Exec>(
        `insert into alerts (job_key, slot, kind, severity, reason, details, first_seen, last_seen, count, status, open_key, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, 1, 'open', ?, ?)
         on duplicate key update count = count + 1, last_seen = values(last_seen), reason = values(reason),
           details = values(details), updated_at = values(updated_at)`,
        [input.jobKey, input.slot, input.kind, input.severity ?? SEVERITY[input.kind], input.reason.slice(0, 200), JSON.stringify(input.details), now, now, openKey, now],
        'run',
      );
      const alert = await tx.findOneOrFail(Alert, { openKey }, { refresh: true });
      await tx.execute('update alert_observations set alert_id = ? where `key` = ?', [alert.id, `${openKey}|${input.observation}`.slice(0, 255)], 'run');
      // affectedRows is 1 for an insert and 2 for an update under ON DUPLICATE KEY UPDATE.
      return writeAlertEvent(tx, this.alertsTopic, res.affectedRows === 1 ? 'alert.raised' : 'alert.repeated', alert);
    });
    if (event) this.onEvent(event);
    return event;
  }

  /** Resolves open or acknowledged alerts (recovery); returns their events. */
  async resolve(ids: number[], by: string, note: string | null): Promise<AlertEvent[]> {
    if (ids.length === 0) return [];
    const events = await this.orm.em.fork().transactional(async (tx) => {
      const alerts = await tx.find(Alert, { id: { $in: ids }, status: { $ne: 'resolved' } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const out: AlertEvent[] = [];
      const now = new Date();
      for (const a of alerts) {
        markResolved(a, by, now);
        a.note = note ?? a.note;
        await tx.flush();
        out.push(await writeAlertEvent(tx, this.alertsTopic, 'alert.resolved', a));
      }
      return out;
    });
    events.forEach((e) => this.onEvent(e));
    return events;
  }

  /**
   * The job is healthy again (a later slot succeeded) but these slots still have no good run: their
   * alerts get recoveredAt and stay open, so the unrun slot stays visible until retried or acknowledged.
   */
  async recover(ids: number[]): Promise<AlertEvent[]> {
    if (ids.length === 0) return [];
    const events = await this.orm.em.fork().transactional(async (tx) => {
      const alerts = await tx.find(Alert, { id: { $in: ids }, status: { $ne: 'resolved' }, recoveredAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const out: AlertEvent[] = [];
      const now = new Date();
      for (const a of alerts) {
        a.recoveredAt = now;
        await tx.flush();
        out.push(await writeAlertEvent(tx, this.alertsTopic, 'alert.recovered', a));
      }
      return out;
    });
    events.forEach((e) => this.onEvent(e));
    return events;
  }

  /** A job's unresolved alerts, optionally of some kinds and of one slot, oldest first. */
  async unresolvedOf(jobKey: string, kinds?: readonly AlertKind[], slot?: Date): Promise<Alert[]> {
    return this.orm.em.fork().find(
      Alert,
      { jobKey, status: { $ne: 'resolved' }, ...(kinds ? { kind: { $in: [...kinds] } } : {}), ...(slot ? { slot } : {}) },
      { orderBy: { id: 'asc' }, limit: 1000 },
    );
  }
}

/** Detector cursors in MySQL: whichever instance holds the lease continues where the last one stopped. */
export class Cursors {
  constructor(private readonly orm: MikroORM) {}

  async get<T extends Record<string, unknown>>(name: string): Promise<T | null> {
    const row = await this.orm.em.fork().findOne(AlertingCursor, { name });
    return (row?.value as T | undefined) ?? null;
  }

  async set(name: string, value: Record<string, unknown>, em?: EntityManager): Promise<void> {
    const conn = (em ?? this.orm.em.fork()).getConnection();
    await conn.execute(
      'insert into alerting_cursors (name, value, updated_at) values (?, ?, ?) on duplicate key update value = values(value), updated_at = values(updated_at)',
      [name, JSON.stringify(value), new Date()],
      'run',
    );
  }
}

/** The run in the Temporal Web UI. */
export function temporalRunUrl(base: string, namespace: string, workflowId: string | null, runId?: string | null): string | null {
  if (!workflowId) return null;
  const b = base.replace(/\/$/, '');
  return `${b}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}/history`;
}
