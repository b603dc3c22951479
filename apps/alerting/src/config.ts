import { Type, type Static } from '@sinclair/typebox';

const Ms = (def: number, min: number, description: string) => Type.Integer({ minimum: min, default: def, description });

export const AlertingConfigSchema = Type.Object({
  ALERTING_HOST: Type.String({ default: '127.0.0.1' }),
  ALERTING_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4100 }),
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  KAFKA_BROKERS: Type.String({ minLength: 3 }),
  KAFKA_TOPIC_ALERTS: Type.String({ default: 'timekeeper.alerts' }),
  KAFKA_TOPIC_RUNS: Type.String({ default: 'timekeeper.runs' }),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^:/]+:\\d+$' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  TEMPORAL_UI_URL: Type.String({ default: 'http://127.0.0.1:8233', description: 'Base of the run links in alert details' }),
  LOG_LEVEL: Type.String({ default: 'info' }),

  // Detector passes (each is a timer re-armed after its pass ends: no overlap, no busy loop).
  ALERTING_LEDGER_POLL_MS: Ms(250, 50, 'Slot-ledger pass: failed runs, run-state events, recoveries'),
  ALERTING_VISIBILITY_POLL_MS: Ms(1_000, 100, 'Temporal visibility pass: timed out, terminated, cancelled runs'),
  ALERTING_MISSED_POLL_MS: Ms(1_000, 100, 'Missed-window and late-start pass over every enabled job'),
  ALERTING_OVERDUE_POLL_MS: Ms(5_000, 100, 'Overdue pass: runs longer than expected_max_duration'),
  // The floor bounds the live volume: at most one progress event per running slot per second.
  ALERTING_PROGRESS_POLL_MS: Ms(1_000, 1_000, 'Progress pass: run.progress events for running slots whose progress moved'),
  ALERTING_LIVE_POLL_MS: Ms(200, 20, 'Outbox -> Redis live-stream pass'),
  ALERTING_RELAY_IDLE_MS: Ms(200, 20, 'Outbox -> Kafka relay wait when the outbox is empty'),
  ALERTING_RELAY_MAX_BACKOFF_MS: Ms(10_000, 100, 'Longest wait between Kafka retries'),
  /** Successes (slots after the alert's) that resolve an alert. */
  ALERTING_RECOVER_AFTER_SUCCESSES: Type.Integer({ minimum: 1, default: 1 }),
  /** A new job's missed-window check starts at most this far back. */
  ALERTING_MISSED_LOOKBACK_MS: Ms(600_000, 1_000, 'How far back a first missed-window check looks'),
  /** Visibility lists closed runs from this far before the last poll, for late-indexed ones. */
  ALERTING_VISIBILITY_OVERLAP_MS: Ms(10_000, 0, 'Re-read window of the visibility pass'),

  // Lease: one active instance.
  ALERTING_LEASE_KEY: Type.String({ default: 'tk:alerting:lease' }),
  ALERTING_LEASE_TTL_MS: Ms(6_000, 500, 'Lease lifetime; a dead holder is replaced after at most this long'),
  ALERTING_LEASE_RENEW_MS: Ms(1_500, 100, 'Renew (and standby retry) period; well under the TTL'),

  // Live stream.
  LIVE_STREAM_KEY: Type.String({ default: 'tk:live' }),
  LIVE_STREAM_MAXLEN: Type.Integer({ minimum: 100, default: 10_000 }),

  // Optional webhook sink for alert events.
  ALERTING_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  ALERTING_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  ALERTING_WEBHOOK_TIMEOUT_MS: Ms(5_000, 100, 'Per-delivery HTTP timeout'),
  ALERTING_WEBHOOK_MAX_BACKOFF_MS: Ms(60_000, 100, 'Longest wait between webhook retries'),
  ALERTING_WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 8, description: 'Tries per alert event before it is dead-lettered and the next one is sent' }),
});
export type AlertingConfig = Static<typeof AlertingConfigSchema>;
