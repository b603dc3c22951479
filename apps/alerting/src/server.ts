import { createOrm } from '@timekeeper/db';
import { createLogger, createMetricsRegistry, loadConfigOrExit, onShutdown, startOpsServer } from '@timekeeper/runtime';
import Redis from 'ioredis';
import { AlertingConfigSchema } from './config';
import { createKafka } from './kafka';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AlertingConfigSchema);
  const logger = createLogger('alerting', config.LOG_LEVEL);
  const orm = await createOrm({ url: config.DATABASE_URL });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const kafkaAdmin = createKafka(config.KAFKA_BROKERS, 'timekeeper-alerting').admin();
  await kafkaAdmin.connect();
  const ops = await startOpsServer({
    logger,
    host: config.ALERTING_HOST,
    port: config.ALERTING_PORT,
    registry: createMetricsRegistry('alerting'),
    checks: [
      { name: 'mysql', check: () => orm.em.getConnection().execute('select 1') },
      { name: 'redis', check: () => redis.ping() },
      { name: 'kafka', check: () => kafkaAdmin.describeCluster() },
    ],
  });
  logger.info('alerting ready');
  onShutdown(logger, [() => ops.close(), () => kafkaAdmin.disconnect(), () => redis.quit(), () => orm.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`alerting: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
