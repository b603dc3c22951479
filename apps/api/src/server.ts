import { createOrm, migrate } from '@timekeeper/db';
import { createLogger, loadConfigOrExit, onShutdown } from '@timekeeper/runtime';
import { connectTemporal } from '@timekeeper/scheduling';
import { buildApp } from './app';
import { ApiConfigSchema } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ApiConfigSchema);
  const logger = createLogger('api', config.LOG_LEVEL);
  const orm = await createOrm({ url: config.DATABASE_URL });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const { client: temporal, connection } = await connectTemporal({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const app = await buildApp({ config, logger, orm, temporal });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  onShutdown(logger, [() => app.close(), () => connection.close(), () => orm.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`api: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
