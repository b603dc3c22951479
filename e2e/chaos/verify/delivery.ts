import { DEFAULT_ALERTS_TOPIC } from '@timekeeper/contracts';
import type { KafkaRecord } from './kafka';
import { marks, type Sql } from './sql';

export type Delivery = {
  /** Outbox rows written before the cut-off and still unsent after the drain wait. */
  blocked: number;
  /** Outbox rows marked sent whose event id is on no topic. */
  sentNotOnKafka: number;
  /** Alerts of the chaos jobs raised before the cut-off with no event on the alerts topic. */
  alertsMissing: number;
  alerts: number;
};

/** Outbox rows written up to `cutoff` that have not been handed to Kafka yet. */
export async function unsentBefore(sql: Sql, cutoff: Date): Promise<number> {
  const [row] = await sql<{ n: number }>('select count(*) as n from outbox where sent_at is null and created_at <= ?', [cutoff]);
  return Number(row.n);
}

/** What the outbox owed Kafka up to the cut-off against what Kafka holds. */
export async function delivery(sql: Sql, jobKeys: string[], cutoff: Date, records: KafkaRecord[]): Promise<Delivery> {
  const onKafka = new Set(records.map((r) => r.eventId).filter((id): id is string => !!id));
  const sent = await sql<{ event_id: string }>('select event_id from outbox where sent_at is not null and created_at <= ?', [cutoff]);
  const alerts = await sql<{ id: number }>(`select id from alerts where job_key in (${marks(jobKeys)}) and first_seen <= ?`, [...jobKeys, cutoff]);
  const alertIds = new Set(
    records.filter((r) => r.topic === DEFAULT_ALERTS_TOPIC).map((r) => Number((r.value.alert as { id?: number } | undefined)?.id)),
  );
  return {
    blocked: await unsentBefore(sql, cutoff),
    sentNotOnKafka: sent.filter((r) => !onKafka.has(r.event_id)).length,
    alertsMissing: alerts.filter((a) => !alertIds.has(Number(a.id))).length,
    alerts: alerts.length,
  };
}
