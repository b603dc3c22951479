import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { SecretBox, type MikroORM } from '@timekeeper/db';
import { createOutboxRelay, type OutboxRelay } from '@timekeeper/jobs';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { instanceOf, PeriodicTask } from '@timekeeper/runtime';
import { SlotPlanner, TemporalZones } from '@timekeeper/scheduling';
import type { AlertingConfig } from './config';
import { PolicyBook } from './policies';
import type { Detector } from './detectors/context';
import { deadLetterDetector } from './detectors/dead-letter';
import { overdueDetector } from './detectors/overdue';
import { progressDetector } from './detectors/progress';
import { realertDetector } from './detectors/realert';
import { Lease } from './lease';
import { LiveSink } from './live-sink';
import type { AlertingMetrics } from './metrics';
import { AlertStore, Cursors, type RaiseInput } from './store';
import type { SweepContext } from './sweeper/context';
import { RouteDeliveries } from './routes';
import { Reporter } from './sweeper/reporter';
import { Sweeper } from './sweeper/sweeper';
import { WebhookSink } from './webhook';
import { WindowEnforcer } from './window-enforcer';
import { webhookDeadLetterAlert, webhookSkipAlert } from './webhook-alerts';

const PLANNER_TASK_QUEUE = 'timekeeper-alerting-planner';

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
 * The alerting service: every instance runs an outbox relay (one relay of all workers and instances
 * holds the relay lease and publishes, so alerts reach Kafka with every worker down); the one holding the
 * Redis lease runs the detectors, the live-stream sink and the webhook sink.
 */
export class AlertingService {
  readonly holder = randomUUID();
  readonly store: AlertStore;
  readonly policies: PolicyBook;
  private readonly lease: Lease;
  private readonly planner: SlotPlanner;
  private readonly relay: OutboxRelay;
  private loops: PeriodicTask[] = [];
  private liveLoop: PeriodicTask | null = null;
  private reportLoop: PeriodicTask | null = null;
  private webhook: WebhookSink | null = null;
  /** Routing rules' deliveries (while active). */
  routes: RouteDeliveries | null = null;
  private transition: Promise<void> = Promise.resolve();
  /** Passes finished (or failed) per detector while active; tests wait on these rather than on time. */
  private readonly passes = new Map<string, number>();

  /** How many passes of a detector ('sweep', 'report', …) this instance has finished. */
  passesOf(detector: string): number {
    return this.passes.get(detector) ?? 0;
  }

  constructor(private readonly deps: AlertingDeps) {
    const { config, metrics, logger } = deps;
    // The same slot planner as the API's (DST policy, Temporal's zone data probed in the background),
    // once per process so its zone cache outlives lease changes. Its throwaway schedules never run
    // (paused), so the task queue is a name only; the instance tag lets the API sweep leftovers.
    const instance = instanceOf(config);
    const zones = new TemporalZones(deps.temporal, {
      taskQueue: PLANNER_TASK_QUEUE,
      instance,
      background: true,
      onProbeError: (timezone, err) => logger.warn({ timezone, err: err instanceof Error ? err.message : String(err) }, "could not probe Temporal's zone data; will retry"),
    });
    this.planner = new SlotPlanner(deps.temporal, { taskQueue: PLANNER_TASK_QUEUE, zones, instance });
    this.policies = new PolicyBook(deps.orm, config.ALERTING_POLICY_REFRESH_MS);
    this.store = new AlertStore(
      deps.orm,
      config.KAFKA_TOPIC_ALERTS,
      (e) => {
        metrics.alertsRaised.inc({ kind: e.alert.kind, type: e.type });
        logger.info({ alertId: e.alert.id, jobKey: e.alert.jobKey, kind: e.alert.kind, reason: e.alert.reason, slot: e.alert.slot, type: e.type }, 'alert');
        this.liveLoop?.wake();
      },
      (jobKey, kind) => this.policies.severityOf(jobKey, kind),
      async (jobKey, at) => (await this.policies.windowsAt(jobKey, at))[0]?.label ?? null,
    );
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
      maxFailures: config.OUTBOX_MAX_FAILURES,
      leaseMs: config.OUTBOX_LEASE_MS,
      retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
      metrics: metrics.outboxRelay,
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

  /** The lease holder's passes: the sweeper (verdicts), the reporter (events and alerts from them), overdue runs. */
  private detectors(): Detector[] {
    const { config } = this.deps;
    const ctx: SweepContext = {
      orm: this.deps.orm,
      temporal: this.deps.temporal,
      store: this.store,
      cursors: new Cursors(this.deps.orm),
      logger: this.deps.logger,
      temporalUiUrl: config.TEMPORAL_UI_URL,
      namespace: config.TEMPORAL_NAMESPACE,
      runsTopic: config.KAFKA_TOPIC_RUNS,
      policies: this.policies,
      planner: this.planner,
      windows: new WindowEnforcer({ orm: this.deps.orm, temporal: this.deps.temporal, policies: this.policies, logger: this.deps.logger }),
      sweep: {
        planHorizonMs: config.ALERTING_PLAN_HORIZON_MS,
        planMaxSlots: config.ALERTING_PLAN_MAX_SLOTS,
        firstPlanLookbackMs: config.ALERTING_MISSED_LOOKBACK_MS,
        windowMs: config.ALERTING_SWEEP_WINDOW_MS,
        recheckMs: config.ALERTING_SWEEP_RECHECK_MS,
        concurrency: config.ALERTING_SWEEP_CONCURRENCY,
        driftCheckMs: config.ALERTING_DRIFT_CHECK_MS,
      },
    };
    // Fresh each time the lease is taken: all they keep in memory is a cache of what MySQL holds.
    const sweeper = new Sweeper(ctx);
    const reporter = new Reporter(ctx);
    return [
      {
        name: 'sweep',
        intervalMs: config.ALERTING_SWEEP_MS,
        pass: async () => {
          const stats = await sweeper.pass();
          if (stats.verdicts) this.reportLoop?.wake();
        },
      },
      { name: 'report', intervalMs: config.ALERTING_REPORT_POLL_MS, pass: async () => void (await reporter.pass()) },
      overdueDetector(ctx, config.ALERTING_OVERDUE_POLL_MS),
      progressDetector(ctx, config.ALERTING_PROGRESS_POLL_MS),
      deadLetterDetector(ctx, config.ALERTING_DEAD_LETTER_POLL_MS, config.KAFKA_TOPIC_ALERTS),
      realertDetector(ctx, config.ALERTING_REALERT_POLL_MS),
      { name: 'windows', intervalMs: config.ALERTING_WINDOW_POLL_MS, pass: () => ctx.windows.pass() },
    ];
  }

  private async becomeActive(): Promise<void> {
    const { config, logger, metrics } = this.deps;
    logger.info({ holder: this.holder }, 'lease acquired: active');
    metrics.leaseHeld.set(1);
    const detectors = this.detectors();
    this.loops = detectors.map(
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
            this.passes.set(d.name, (this.passes.get(d.name) ?? 0) + 1);
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
    this.reportLoop = this.loops[detectors.findIndex((d) => d.name === 'report')] ?? null;
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
    this.routes = new RouteDeliveries({
      orm: this.deps.orm,
      redis: this.deps.redis,
      streamKey: config.LIVE_STREAM_KEY,
      timeoutMs: config.ALERTING_WEBHOOK_TIMEOUT_MS,
      maxBackoffMs: config.ALERTING_WEBHOOK_MAX_BACKOFF_MS,
      maxAttempts: config.ALERTING_WEBHOOK_MAX_ATTEMPTS,
      tagsOf: (jobKey) => this.policies.tagsOf(jobKey),
      secrets: config.DESTINATION_SECRETS_KEY ? new SecretBox(config.DESTINATION_SECRETS_KEY) : null,
      onUnreadable: (destination, reason) => logger.error({ destination, reason }, 'route: destination secret does not open; not delivering to it'),
      onDeadLettered: (letter, destination) => {
        metrics.webhookDeadLettered.inc();
        logger.error({ entryId: letter.entryId, eventId: letter.event.eventId, destination, error: letter.error, attempts: letter.attempts }, 'route: event not accepted; dead-lettered');
        if (letter.event.alert.kind !== 'webhook_failed' && letter.event.type !== 'alert.test') this.raiseWebhookAlert(webhookDeadLetterAlert(letter, destination));
      },
      onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'route delivery loop failed; retrying'),
    });
    // Rule edits are followed every policy refresh.
    const routes = this.routes;
    const routeLoop = new PeriodicTask(config.ALERTING_POLICY_REFRESH_MS, async () => {
      try {
        await this.policies.refresh();
        await routes.refresh();
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'routing rules not refreshed');
      }
    });
    this.loops.push(routeLoop);
    routeLoop.start();
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
    this.reportLoop = null;
    await Promise.all(loops.map((l) => l.stop()));
    await this.webhook?.stop();
    await this.routes?.stop();
    this.routes = null;
    this.webhook = null;
  }
}
