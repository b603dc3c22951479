import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import { createOutboxRelay, noopMetrics, type OutboxRelay } from '@timekeeper/jobs';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { PeriodicTask } from '@timekeeper/runtime';
import type { AlertingConfig } from './config';
import type { Detector, DetectorContext } from './detectors/context';
import { ledgerDetector } from './detectors/ledger';
import { missedDetector } from './detectors/missed';
import { overdueDetector } from './detectors/overdue';
import { progressDetector } from './detectors/progress';
import { visibilityDetector } from './detectors/visibility';
import { Lease } from './lease';
import { LiveSink } from './live-sink';
import type { AlertingMetrics } from './metrics';
import { AlertStore, Cursors, type RaiseInput } from './store';
import { WebhookSink } from './webhook';
import { webhookDeadLetterAlert, webhookSkipAlert } from './webhook-alerts';

export type AlertingDeps = {
  config: AlertingConfig;
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  kafka: Kafka;
  logger: Logger;
  metrics: AlertingMetrics;
};

/**
 * The alerting service: every instance relays the outbox to Kafka (SKIP LOCKED makes that safe with
 * several relays, and alerts reach Kafka with every worker down); the one holding the Redis lease runs
 * the detectors, the live-stream sink and the webhook sink.
 */
export class AlertingService {
  readonly holder = randomUUID();
  readonly store: AlertStore;
  private readonly lease: Lease;
  private readonly relay: OutboxRelay;
  private loops: PeriodicTask[] = [];
  private liveLoop: PeriodicTask | null = null;
  private webhook: WebhookSink | null = null;
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AlertingDeps) {
    const { config, metrics, logger } = deps;
    this.store = new AlertStore(deps.orm, config.KAFKA_TOPIC_ALERTS, (e) => {
      metrics.alertsRaised.inc({ kind: e.alert.kind, type: e.type });
      logger.info({ alertId: e.alert.id, jobKey: e.alert.jobKey, kind: e.alert.kind, reason: e.alert.reason, slot: e.alert.slot, type: e.type }, 'alert');
      this.liveLoop?.wake();
    });
    this.lease = new Lease({
      redis: deps.redis,
      key: config.ALERTING_LEASE_KEY,
      holder: this.holder,
      ttlMs: config.ALERTING_LEASE_TTL_MS,
      renewMs: config.ALERTING_LEASE_RENEW_MS,
      onAcquired: () => this.serialize(() => this.becomeActive()),
      onLost: () => this.serialize(() => this.becomeStandby()),
      onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'lease round failed'),
    });
    this.relay = createOutboxRelay({
      orm: deps.orm,
      kafka: deps.kafka,
      logger: logger.child({ component: 'relay' }),
      idleMs: config.ALERTING_RELAY_IDLE_MS,
      maxBackoffMs: config.ALERTING_RELAY_MAX_BACKOFF_MS,
      minBackoffMs: 200,
      metrics: { ...noopMetrics, outboxPublished: (n) => metrics.outboxPublished.inc(n), outboxPublishFailed: () => metrics.outboxPublishFailed.inc() },
    });
  }

  get active(): boolean {
    return this.lease.isHeld;
  }

  start(): void {
    this.relay.start();
    this.lease.start();
  }

  /** Graceful: releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    await this.lease.stop(true);
    await this.transition;
    await this.relay.stop();
  }

  /** Like a crash (tests): stops working but leaves the lease to expire. */
  async kill(): Promise<void> {
    await this.lease.stop(false);
    await this.transition;
    await this.relay.stop();
  }

  private serialize(fn: () => Promise<void>): Promise<void> {
    this.transition = this.transition.then(fn, fn);
    return this.transition;
  }

  private detectors(): Detector[] {
    const { config } = this.deps;
    const ctx: DetectorContext = {
      orm: this.deps.orm,
      temporal: this.deps.temporal,
      store: this.store,
      cursors: new Cursors(this.deps.orm),
      logger: this.deps.logger,
      temporalUiUrl: config.TEMPORAL_UI_URL,
      namespace: config.TEMPORAL_NAMESPACE,
      runsTopic: config.KAFKA_TOPIC_RUNS,
      recoverAfterSuccesses: config.ALERTING_RECOVER_AFTER_SUCCESSES,
      missedLookbackMs: config.ALERTING_MISSED_LOOKBACK_MS,
      visibilityOverlapMs: config.ALERTING_VISIBILITY_OVERLAP_MS,
    };
    return [
      ledgerDetector(ctx, config.ALERTING_LEDGER_POLL_MS),
      visibilityDetector(ctx, config.ALERTING_VISIBILITY_POLL_MS),
      missedDetector(ctx, config.ALERTING_MISSED_POLL_MS),
      overdueDetector(ctx, config.ALERTING_OVERDUE_POLL_MS),
      progressDetector(ctx, config.ALERTING_PROGRESS_POLL_MS),
    ];
  }

  private async becomeActive(): Promise<void> {
    const { config, logger, metrics } = this.deps;
    logger.info({ holder: this.holder }, 'lease acquired: active');
    metrics.leaseHeld.set(1);
    // Fresh detectors each time: their in-memory positions reload from the cursors the last holder saved.
    this.loops = this.detectors().map(
      (d) =>
        new PeriodicTask(d.intervalMs, async () => {
          if (!this.lease.isHeld) return;
          const end = metrics.passSeconds.startTimer({ detector: d.name });
          try {
            await d.pass();
          } catch (err) {
            metrics.passFailures.inc({ detector: d.name });
            logger.warn({ detector: d.name, err: err instanceof Error ? err.message : String(err) }, 'detector pass failed');
          } finally {
            end();
          }
        }),
    );
    const sink = new LiveSink({
      orm: this.deps.orm,
      redis: this.deps.redis,
      streamKey: config.LIVE_STREAM_KEY,
      maxLen: config.LIVE_STREAM_MAXLEN,
      topics: { alerts: config.KAFKA_TOPIC_ALERTS, runs: config.KAFKA_TOPIC_RUNS },
    });
    this.liveLoop = new PeriodicTask(config.ALERTING_LIVE_POLL_MS, async () => {
      try {
        metrics.liveAppended.inc(await sink.pass());
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'live-stream pass failed');
      }
    });
    this.loops.push(this.liveLoop);
    this.loops.forEach((l) => l.start());
    if (config.ALERTING_WEBHOOK_URL && config.ALERTING_WEBHOOK_SECRET) {
      this.webhook = new WebhookSink({
        redis: this.deps.redis,
        streamKey: config.LIVE_STREAM_KEY,
        url: config.ALERTING_WEBHOOK_URL,
        secret: config.ALERTING_WEBHOOK_SECRET,
        timeoutMs: config.ALERTING_WEBHOOK_TIMEOUT_MS,
        maxBackoffMs: config.ALERTING_WEBHOOK_MAX_BACKOFF_MS,
        maxAttempts: config.ALERTING_WEBHOOK_MAX_ATTEMPTS,
        onDelivered: () => metrics.webhookDelivered.inc(),
        onFailed: (err, retryInMs) => {
          metrics.webhookFailed.inc();
          logger.warn({ err, retryInMs }, 'webhook delivery failed; retrying');
        },
        onSkipped: (entryId, reason) => {
          metrics.webhookSkipped.inc();
          logger.error({ entryId, reason }, 'webhook: live-stream entry is not an alert event; skipped');
          this.raiseWebhookAlert(webhookSkipAlert(entryId, reason));
        },
        onDeadLettered: (letter) => {
          metrics.webhookDeadLettered.inc();
          logger.error({ entryId: letter.entryId, eventId: letter.event.eventId, error: letter.error, attempts: letter.attempts }, 'webhook: event not accepted; dead-lettered');
          // An alert about the webhook that the webhook refused gets no alert of its own (that would loop).
          if (letter.event.alert.kind !== 'webhook_failed') this.raiseWebhookAlert(webhookDeadLetterAlert(letter));
        },
        onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'webhook loop failed; retrying'),
      });
      this.webhook.start();
    }
  }

  /** Raised beside the delivery loop, never in its way: a failure here is only logged. */
  private raiseWebhookAlert(input: RaiseInput): void {
    this.store.raise(input).catch((err: unknown) =>
      this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not raise the webhook alert'),
    );
  }

  private async becomeStandby(): Promise<void> {
    this.deps.logger.info({ holder: this.holder }, 'lease lost or released: standby');
    this.deps.metrics.leaseHeld.set(0);
    const loops = this.loops;
    this.loops = [];
    this.liveLoop = null;
    await Promise.all(loops.map((l) => l.stop()));
    await this.webhook?.stop();
    this.webhook = null;
  }
}
