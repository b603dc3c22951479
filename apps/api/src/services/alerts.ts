import { DEFAULT_ALERTS_TOPIC, type AlertDto, type AlertKind, type AlertSeverity, type AlertStatus } from '@timekeeper/contracts';
import { Alert, alertView, LockMode, markResolved, writeAlertEvent, type FilterQuery, type MikroORM } from '@timekeeper/db';
import { conflict, notFound } from '../errors';
import { audit } from './audit';

export type AlertQuery = { job?: string; kind?: AlertKind; severity?: AlertSeverity; status?: AlertStatus; from?: Date; to?: Date; limit?: number; cursor?: number };

/**
 * Alerts as operators see them: listing (newest first, keyset by id), acknowledge and resolve. Each
 * change is audited and queued on the outbox (Kafka and the live stream) in the same transaction.
 * The alerting service owns raising; the API never creates alerts.
 */
export class AlertsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly topic = DEFAULT_ALERTS_TOPIC,
  ) {}

  async list(q: AlertQuery): Promise<{ items: AlertDto[]; nextCursor: number | null }> {
    const limit = Math.min(q.limit ?? 50, 200);
    const and: FilterQuery<Alert>[] = [];
    if (q.job) and.push({ jobKey: q.job });
    if (q.kind) and.push({ kind: q.kind });
    if (q.severity) and.push({ severity: q.severity });
    if (q.status) and.push({ status: q.status });
    if (q.from) and.push({ slot: { $gte: q.from } });
    if (q.to) and.push({ slot: { $lt: q.to } });
    if (q.cursor) and.push({ id: { $lt: q.cursor } });
    const rows = await this.orm.em.fork().find(Alert, and.length ? { $and: and } : {}, { orderBy: { id: 'desc' }, limit: limit + 1 });
    const items = rows.slice(0, limit).map(alertView);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  async get(id: number): Promise<AlertDto> {
    const a = await this.orm.em.fork().findOne(Alert, { id });
    if (!a) throw notFound(`Alert ${id}`);
    return alertView(a);
  }

  acknowledge(id: number, actor: string, note: string | null): Promise<AlertDto> {
    return this.change(id, actor, 'alert.acknowledge', note, (a, now) => {
      if (a.status !== 'open') throw conflict('alert_not_open', `Alert ${id} is ${a.status}; only an open alert can be acknowledged`);
      Object.assign(a, { status: 'acknowledged', acknowledgedBy: actor, acknowledgedAt: now });
    });
  }

  resolve(id: number, actor: string, note: string | null): Promise<AlertDto> {
    return this.change(id, actor, 'alert.resolve', note, (a, now) => {
      if (a.status === 'resolved') throw conflict('alert_resolved', `Alert ${id} is already resolved`);
      markResolved(a, actor, now);
    });
  }

  private async change(id: number, actor: string, action: string, note: string | null, mutate: (a: Alert, now: Date) => void): Promise<AlertDto> {
    return this.orm.em.fork().transactional(async (tx) => {
      const a = await tx.findOne(Alert, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!a) throw notFound(`Alert ${id}`);
      const before = alertView(a);
      mutate(a, new Date());
      if (note) a.note = note;
      audit(tx, { actor, action, jobKey: a.jobKey, before, after: alertView(a), note });
      await tx.flush();
      await writeAlertEvent(tx, this.topic, action === 'alert.resolve' ? 'alert.resolved' : 'alert.acknowledged', a);
      return alertView(a);
    });
  }
}
