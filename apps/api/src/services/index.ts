import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import type { ApiConfig } from '../config';
import type { JobCommands } from './job-commands';
import type { JobQueries } from './job-queries';
import type { Runs } from './runs';

/** What route plugins get: the services, built once in app.ts. */
export type Services = {
  config: ApiConfig;
  orm: MikroORM;
  temporal: Client;
  jobs: JobQueries;
  commands: JobCommands;
  runs: Runs;
};
