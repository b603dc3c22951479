// `pnpm jobs:sync`: upserts config/jobs.yaml into MySQL and Temporal, prints what changed.
import { resolve } from 'node:path';
import { createOrm, migrate } from '@timekeeper/db';
import { createLogger, loadConfigOrExit } from '@timekeeper/runtime';
import { connectTemporal } from '@timekeeper/scheduling';
import { createServices } from '../app';
import { ApiConfigSchema } from '../config';
import { ApiError } from '../errors';
import { syncJobsFile } from '../services/config-jobs';
import { syncWindowsFile } from '../services/config-windows';
import { MaintenanceWindows } from '../services/maintenance-windows';

async function main(): Promise<void> {
  const config = loadConfigOrExit(ApiConfigSchema);
  const logger = createLogger('jobs-sync', 'warn');
  const path = resolve(process.argv[2] ?? config.JOBS_CONFIG_PATH);
  const orm = await createOrm({ url: config.DATABASE_URL });
  const { client, connection } = await connectTemporal({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });
  try {
    await migrate(orm);
    const services = createServices({ config, logger, orm, temporal: client });
    const result = await syncJobsFile(orm, services.commands, path, logger);
    for (const [what, keys] of Object.entries(result)) if (keys.length) process.stdout.write(`${what}: ${keys.join(', ')}\n`);
    const windows = await syncWindowsFile(new MaintenanceWindows(orm), path);
    for (const [what, names] of Object.entries(windows)) if (names.length) process.stdout.write(`windows ${what}: ${names.join(', ')}\n`);
    process.stdout.write(`jobs:sync: ${path} is in step (${result.unchanged.length} unchanged)\n`);
  } finally {
    await connection.close();
    await orm.close();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ApiError ? `${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`jobs:sync: ${message}\n`);
  process.exit(1);
});
