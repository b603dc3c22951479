import type { Client } from '@temporalio/client';
import type Redis from 'ioredis';
import type { MikroORM, SecretBox } from '@timekeeper/db';
import type { SlotPlanner } from '@timekeeper/scheduling';
import type { ApiConfig } from '../config';
import type { JobCommands } from './job-commands';
import type { JobQueries } from './job-queries';
import type { NextRuns } from './next-runs';
import type { RevocationBus } from './revocations';
import type { Runs } from './runs';
import type { Sessions } from './sessions';
import type { VerifiedKeys } from './verified-keys';

/** What route plugins get: the services, built once in app.ts. */
export type Services = {
  config: ApiConfig;
  /** Owner tag of this installation's schedules and Redis keys (see instanceOf). */
  instance: string;
  orm: MikroORM;
  temporal: Client;
  jobs: JobQueries;
  commands: JobCommands;
  runs: Runs;
  sessions: Sessions;
  revocations: RevocationBus;
  /** Every job's expected slots and the clock-change plans its schedules carry. */
  planner: SlotPlanner;
  /** Jobs' next slots from that planner, each kept 15 s per job row and version. */
  nextRuns: NextRuns;
  /** Zones where Temporal's tz data and Node's differ (logged once per probe; a metric). */
  tzdataDisagreements: ReadonlySet<string>;
  /** Redis for what every API process shares (rate limits, failed sign-ins, event-stream leases, Run now locks); fails fast. */
  limits: Redis;
  /** Seals routing destinations' secrets (DESTINATION_SECRETS_KEY); null when the key is not set. */
  secrets: SecretBox | null;
  /** API keys verified lately (see VerifiedKeys); forgotten on revocation. */
  verifiedKeys: VerifiedKeys;
};
