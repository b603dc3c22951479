import { bearerKeyIsValid, createOrm } from '@timekeeper/db';
import { createLogger, createMetricsRegistry, loadConfigOrExit, onShutdown, startOpsServer } from '@timekeeper/runtime';
import { connectTemporal } from '@timekeeper/scheduling';
import Redis from 'ioredis';
import { AlertingConfigSchema } from './config';
import { createKafka } from './kafka';
import { createAlertingMetrics } from './metrics';
import { AlertingService } from './service';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AlertingConfigSchema);
  const logger = createLogger('alerting', config.LOG_LEVEL);
  const orm = await createOrm({ url: config.DATABASE_URL });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const kafka = createKafka(config.KAFKA_BROKERS, 'timekeeper-alerting');
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect().catch((err: unknown) => logger.warn({ err: String(err) }, 'kafka not reachable yet; the relay retries'));
  const registry = createMetricsRegistry('alerting');
  const metrics = createAlertingMetrics(registry);
  const { client: temporal, connection } = await connectTemporal({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    onCall: (method) => metrics.temporalCalls.inc({ method }),
  });
  const service = new AlertingService({ config, orm, redis, temporal, kafka, logger, metrics });
  service.start();
  const ops = await startOpsServer({
    logger,
    host: config.ALERTING_HOST,
    port: config.ALERTING_PORT,
    registry,
    authorizeMetrics: (authorization) => bearerKeyIsValid(orm.em.fork(), authorization),
    checks: [
      { name: 'mysql', check: () => orm.em.getConnection().execute('select 1') },
      { name: 'redis', check: () => redis.ping() },
      { name: 'kafka', check: () => kafkaAdmin.describeCluster() },
      { name: 'temporal', check: () => temporal.connection.workflowService.getSystemInfo({}) },
    ],
  });
  logger.info({ holder: service.holder }, 'alerting ready');
  onShutdown(logger, [() => ops.close(), () => service.stop(), () => kafkaAdmin.disconnect(), () => connection.close(), () => redis.quit(), () => orm.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`alerting: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
