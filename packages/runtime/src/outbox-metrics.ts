import { Counter, Gauge, type Registry } from 'prom-client';

/** The backlog figures the outbox relay reports (its OutboxRelayMetrics in @timekeeper/jobs has this shape). */
export type OutboxBacklogGauges = { active: boolean; pending: number; oldestPendingSeconds: number; deadLettered: number };

/**
 * The outbox relay's metrics, the same in every app that runs a relay (worker, alerting). The backlog
 * gauges come from the process holding the relay lease; the others report 0, so sum (or max) them
 * across processes.
 */
export function createOutboxRelayMetrics(registry: Registry) {
  const published = new Counter({ name: 'timekeeper_outbox_published_total', help: 'Outbox rows published to Kafka by this process', registers: [registry] });
  const publishFailed = new Counter({ name: 'timekeeper_outbox_publish_failures_total', help: 'Relay rounds stopped by a Kafka outage', registers: [registry] });
  const deadLettered = new Counter({ name: 'timekeeper_outbox_dead_lettered_total', help: 'Outbox rows this process dead-lettered', registers: [registry] });
  const active = new Gauge({ name: 'timekeeper_outbox_relay_active', help: '1 while this process holds the relay lease', registers: [registry] });
  const pending = new Gauge({ name: 'timekeeper_outbox_backlog_rows', help: 'Unsent outbox rows, dead letters excluded', registers: [registry] });
  const oldest = new Gauge({ name: 'timekeeper_outbox_oldest_unsent_seconds', help: 'Age of the oldest unsent outbox row', registers: [registry] });
  const dead = new Gauge({ name: 'timekeeper_outbox_dead_letter_rows', help: 'Dead-lettered outbox rows', registers: [registry] });
  return {
    published: (n: number) => published.inc(n),
    publishFailed: () => publishFailed.inc(),
    deadLettered: (n: number) => deadLettered.inc(n),
    backlog: (b: OutboxBacklogGauges) => {
      active.set(b.active ? 1 : 0);
      pending.set(b.pending);
      oldest.set(b.oldestPendingSeconds);
      dead.set(b.deadLettered);
    },
  };
}
