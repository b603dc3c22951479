import { resolve } from 'node:path';
import { createOrm, migrate } from '@timekeeper/db';
import { createLogger, loadConfigOrExit, onShutdown } from '@timekeeper/runtime';
import { connectTemporal } from '@timekeeper/scheduling';
import { buildApp, createServices } from './app';
import { ApiConfigSchema } from './config';
import { ensureFirstAdminKey } from './services/api-keys';
import { sealStoredSecrets } from './services/alert-routes';
import { syncJobsFile } from './services/config-jobs';
import { syncWindowsFile } from './services/config-windows';
import { MaintenanceWindows } from './services/maintenance-windows';
import { previewSweeper } from './services/preview-sweeper';
import { Reconciler } from './services/reconciler';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ApiConfigSchema);
  const logger = createLogger('api', config.LOG_LEVEL);
  const orm = await createOrm({ url: config.DATABASE_URL });
  const applied = await migrate(orm);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  try {
    // The key goes to a file of its own, never to stdout (which lands in the logs): only its hash is stored.
    const keyFile = await ensureFirstAdminKey(orm.em.fork(), config.ADMIN_API_KEY, resolve(config.FIRST_ADMIN_KEY_FILE));
    if (keyFile) process.stdout.write(`\n  First admin API key written to ${keyFile} (mode 0600): sign in with it, then delete the file.\n\n`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    logger.warn({ file: resolve(config.FIRST_ADMIN_KEY_FILE) }, 'no API key is stored, but a first-admin-key file already exists; not overwriting it (delete it, or set ADMIN_API_KEY)');
  }
  const { client: temporal, connection } = await connectTemporal({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });
  const services = createServices({ config, logger, orm, temporal });
  const secrets = await sealStoredSecrets(orm, services.secrets);
  if ('sealed' in secrets && secrets.sealed) logger.info(secrets, 'routing rules: plain destination secrets sealed');
  if ('plain' in secrets && secrets.plain) logger.warn(secrets, 'routing rules hold destination secrets in plain text: set DESTINATION_SECRETS_KEY to seal them');
  if (config.SYNC_JOBS_CONFIG) {
    try {
      const result = await syncJobsFile(orm, services.commands, resolve(config.JOBS_CONFIG_PATH), logger);
      logger.info(result, 'config/jobs.yaml synced');
      logger.info(await syncWindowsFile(new MaintenanceWindows(orm), resolve(config.JOBS_CONFIG_PATH)), 'config/jobs.yaml maintenance windows synced');
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'config/jobs.yaml not applied');
    }
  }
  const reconciler = new Reconciler(services.syncer, logger.child({ component: 'reconciler' }), {
    pendingIntervalMs: config.RECONCILE_PENDING_INTERVAL_MS,
    driftIntervalMs: config.RECONCILE_DRIFT_INTERVAL_MS,
  });
  reconciler.start();
  const sweeper = previewSweeper(temporal, services.instance, logger.child({ component: 'preview-sweep' }), config.PREVIEW_SWEEP_INTERVAL_MS);
  sweeper.start();
  const app = await buildApp({ config, logger, orm, temporal }, services);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  onShutdown(logger, [() => reconciler.stop(), () => sweeper.stop(), () => app.close(), () => connection.close(), () => orm.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`api: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
