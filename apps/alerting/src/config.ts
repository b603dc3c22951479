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
  TIMEKEEPER_INSTANCE: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Owner tag on throwaway schedules (as the API); default: the database name' })),
  LOG_LEVEL: Type.String({ default: 'info' }),

  // Passes (each is a timer re-armed after its pass ends: no overlap, no busy loop).
  ALERTING_SWEEP_MS: Ms(5_000, 100, 'Sweeper pass: describe every schedule, plan slots, give past slots their verdicts, drift alerts'),
  ALERTING_REPORT_POLL_MS: Ms(250, 20, 'Reporter pass: ledger changes -> run events, alerts, resolutions'),
  ALERTING_OVERDUE_POLL_MS: Ms(5_000, 100, 'Overdue pass: runs longer than expected_max_duration'),
  // The floor bounds the live volume: at most one progress event per running slot per second.
  ALERTING_PROGRESS_POLL_MS: Ms(1_000, 1_000, 'Progress pass: run.progress events for running slots whose progress moved'),
  ALERTING_LIVE_POLL_MS: Ms(200, 20, 'Outbox -> Redis live-stream pass'),
  ALERTING_RELAY_IDLE_MS: Ms(200, 20, 'Outbox -> Kafka relay wait when the outbox is empty'),
  ALERTING_RELAY_MAX_BACKOFF_MS: Ms(10_000, 100, 'Longest wait between Kafka retries'),
  ALERTING_WINDOW_POLL_MS: Ms(1_000, 50, 'Pass pausing and resuming the schedules of jobs in maintenance windows'),
  ALERTING_REALERT_POLL_MS: Ms(10_000, 50, 'Pass repeating open critical alerts past their job policy’s realertInterval'),
  ALERTING_DEAD_LETTER_POLL_MS: Ms(2_000, 50, 'Pass turning dead-lettered outbox rows into alerts'),
  // The outbox relay (as in the worker): refusals before a row is dead-lettered, the wait before a
  // refused row's first retry (doubling), and the relay lease a standby takes over after.
  OUTBOX_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  OUTBOX_RETRY_BASE_MS: Ms(1_000, 10, 'Wait before retrying an outbox row Kafka refused; doubles per refusal'),
  OUTBOX_LEASE_MS: Ms(15_000, 1_000, 'Outbox relay lease; a crashed publishing relay is replaced within this long'),
  ALERTING_POLICY_REFRESH_MS: Ms(5_000, 50, 'Alert policies, job tags and duration baselines are re-read at most this often'),
  // The slot ledger's sweeper (DESIGN.md, "The slot ledger").
  ALERTING_PLAN_HORIZON_MS: Ms(86_400_000, 60_000, 'Expected slots are planned this far ahead'),
  ALERTING_PLAN_MAX_SLOTS: Type.Integer({ minimum: 10, maximum: 100_000, default: 1_500, description: 'At most this many planned rows per job and fill' }),
  ALERTING_MISSED_LOOKBACK_MS: Ms(600_000, 1_000, 'A job first seen by the sweeper is planned at most this far back'),
  ALERTING_SWEEP_WINDOW_MS: Ms(172_800_000, 60_000, 'Open (planned, running) rows are re-scanned by nominal time this far back'),
  ALERTING_SWEEP_RECHECK_MS: Ms(15_000, 100, 'A running run is described at most this often (its verdict lands within this + one pass of its close)'),
  ALERTING_SWEEP_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 32, description: 'Jobs swept at once' }),
  ALERTING_DRIFT_CHECK_MS: Ms(300_000, 1_000, 'Each schedule is described at least this often (policy or action edits outside Timekeeper)'),

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
  DESTINATION_SECRETS_KEY: Type.Optional(
    Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'Opens routing destinations’ sealed secrets (the same key as the API’s; 64 hex characters)' }),
  ),
  ALERTING_WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 8, description: 'Tries per alert event before it is dead-lettered and the next one is sent' }),
});
export type AlertingConfig = Static<typeof AlertingConfigSchema>;
