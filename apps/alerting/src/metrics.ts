import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createOutboxRelayMetrics } from '@timekeeper/runtime';

export type AlertingMetrics = ReturnType<typeof createAlertingMetrics>;

/** alerts raised by kind, detector pass latency, the lease gauge, Temporal calls, delivery counters and the outbox relay's. */
export function createAlertingMetrics(registry: Registry) {
  return {
    alertsRaised: new Counter({ name: 'timekeeper_alerts_raised_total', help: 'Alert events by kind and type (raised, repeated, resolved)', labelNames: ['kind', 'type'], registers: [registry] }),
    passSeconds: new Histogram({
      name: 'timekeeper_alerting_detector_pass_seconds',
      help: 'Duration of one detector pass',
      labelNames: ['detector'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    passFailures: new Counter({ name: 'timekeeper_alerting_detector_failures_total', help: 'Detector passes that threw', labelNames: ['detector'], registers: [registry] }),
    leaseHeld: new Gauge({ name: 'timekeeper_alerting_lease_held', help: '1 while this instance is the active one', registers: [registry] }),
    outboxRelay: createOutboxRelayMetrics(registry),
    temporalCalls: new Counter({ name: 'timekeeper_alerting_temporal_calls_total', help: 'Calls this instance made to Temporal, by gRPC method (its load on the server)', labelNames: ['method'], registers: [registry] }),
    liveAppended: new Counter({ name: 'timekeeper_alerting_live_appended_total', help: 'Events appended to the live stream', registers: [registry] }),
    webhookDelivered: new Counter({ name: 'timekeeper_alerting_webhook_delivered_total', help: 'Alert events accepted by the webhook', registers: [registry] }),
    webhookFailed: new Counter({ name: 'timekeeper_alerting_webhook_failures_total', help: 'Failed webhook attempts', registers: [registry] }),
    webhookDeadLettered: new Counter({ name: 'timekeeper_alerting_webhook_dead_lettered_total', help: 'Alert events the webhook never accepted (kept in the dead-letter stream)', registers: [registry] }),
    webhookSkipped: new Counter({ name: 'timekeeper_alerting_webhook_skipped_total', help: 'Live-stream entries the webhook could not read as alert events', registers: [registry] }),
  };
}
