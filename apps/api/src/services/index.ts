import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import type { SlotPlanner } from '@timekeeper/scheduling';
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
  /** Every job's expected slots and the clock-change plans its schedules carry. */
  planner: SlotPlanner;
  /** Zones where Temporal's tz data and Node's differ (logged once per probe; a metric). */
  tzdataDisagreements: ReadonlySet<string>;
};
