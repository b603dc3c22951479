import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mariadb';
import { writeOutbox } from '../outbox/write';
import { bigint } from './column-types';
import type { AlertDto, AlertEvent, AlertEventType } from '@timekeeper/contracts';


/**
 * A failed, timed-out, missed, late or overdue slot. At most one unresolved alert per (job, slot,
 * kind): `openKey` holds "job|slot|kind" while it is open or acknowledged and is NULL once resolved,
 * under a unique index.
 */
export class Alert {
  id!: number;
  jobKey!: string;
  slot!: Date;
  kind!: string;
  severity!: string;
  reason!: string;
  details: Record<string, unknown> = {};
  firstSeen: Date = new Date();
  lastSeen: Date = new Date();
  count = 1;
  status = 'open';
  openKey: string | null = null;
  acknowledgedBy: string | null = null;
  acknowledgedAt: Date | null = null;
  resolvedBy: string | null = null;
  resolvedAt: Date | null = null;
  recoveredAt: Date | null = null;
  note: string | null = null;
  updatedAt: Date = new Date();
}

export const AlertSchema = new EntitySchema<Alert>({
  class: Alert,
  tableName: 'alerts',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    jobKey: { type: 'string', length: 64 },
    slot: { type: 'datetime', length: 3 },
    kind: { type: 'string', length: 20 },
    severity: { type: 'string', length: 10 },
    reason: { type: 'string', length: 200 },
    details: { type: 'json' },
    firstSeen: { type: 'datetime', length: 3 },
    lastSeen: { type: 'datetime', length: 3 },
    count: { type: 'integer' },
    status: { type: 'string', length: 12 },
    openKey: { type: 'string', length: 160, nullable: true },
    acknowledgedBy: { type: 'string', length: 100, nullable: true },
    acknowledgedAt: { type: 'datetime', length: 3, nullable: true },
    resolvedBy: { type: 'string', length: 100, nullable: true },
    resolvedAt: { type: 'datetime', length: 3, nullable: true },
    recoveredAt: { type: 'datetime', length: 3, nullable: true },
    note: { type: 'text', nullable: true },
    updatedAt: { type: 'datetime', length: 3, onUpdate: () => new Date() },
  },
});

/** One thing a detector saw (a run's failure, a slot's absence); its key makes a re-seen fact a no-op. */
export class AlertObservation {
  key!: string;
  alertId: number | null = null;
  createdAt: Date = new Date();
}

export const AlertObservationSchema = new EntitySchema<AlertObservation>({
  class: AlertObservation,
  tableName: 'alert_observations',
  properties: {
    key: { type: 'string', length: 255, primary: true },
    alertId: { type: bigint(), nullable: true },
    createdAt: { type: 'datetime', length: 3 },
  },
});

/** Where each detector got to, so a standby that takes over the lease carries on from there. */
export class AlertingCursor {
  name!: string;
  value: Record<string, unknown> = {};
  updatedAt: Date = new Date();
}

export const AlertingCursorSchema = new EntitySchema<AlertingCursor>({
  class: AlertingCursor,
  tableName: 'alerting_cursors',
  properties: {
    name: { type: 'string', length: 191, primary: true },
    value: { type: 'json' },
    updatedAt: { type: 'datetime', length: 3 },
  },
});

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** An alert as the API, Kafka and the live stream show it. */
/**
 * Resolves an alert in memory (the caller flushes). Clearing open_key lets a later failure of the same
 * slot and kind open a new alert.
 */
export function markResolved(a: Alert, by: string, at: Date): void {
  Object.assign(a, { status: 'resolved', openKey: null, resolvedBy: by, resolvedAt: at });
}

export function alertView(a: Alert): AlertDto {
  return {
    id: a.id,
    jobKey: a.jobKey,
    slot: a.slot.toISOString(),
    kind: a.kind as AlertDto['kind'],
    severity: a.severity as AlertDto['severity'],
    reason: a.reason,
    details: a.details as AlertDto['details'],
    firstSeen: a.firstSeen.toISOString(),
    lastSeen: a.lastSeen.toISOString(),
    count: a.count,
    status: a.status as AlertDto['status'],
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: iso(a.acknowledgedAt),
    resolvedBy: a.resolvedBy,
    resolvedAt: iso(a.resolvedAt),
    recoveredAt: iso(a.recoveredAt),
    note: a.note,
  };
}

/**
 * Queues an alert event in the outbox inside the caller's transaction (the relay ships it to Kafka
 * and the live sink to the stream). A fresh uuid per event is its `event-id`.
 */
export async function writeAlertEvent(tx: EntityManager, topic: string, type: AlertEventType, alert: Alert): Promise<AlertEvent> {
  const event: AlertEvent = { eventId: randomUUID(), type, at: new Date().toISOString(), alert: alertView(alert) };
  await writeOutbox(tx, [{ eventId: event.eventId, topic, key: alert.jobKey, type, payload: event }]);
  return event;
}
