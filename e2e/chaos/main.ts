// `pnpm chaos [--minutes N | --short]`: the exactly-once proof of issue 9. Starts a private stack
// (MariaDB, Redis, Temporal, Kafka through infra/ on ports of its own, then the API, the alerting
// service and N workers), runs every job kind on seeded data plus synthetic jobs every 10-15 s,
// injects real faults, and prints one table of what it found. Exits 1 when a target is missed.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createOrm, type MikroORM } from '@timekeeper/db';
import { loadSettings } from './config';
import type { FaultContext } from './faults/context';
import { runPlan } from './faults/run';
import { Timeline } from './faults/timeline';
import { errorText, say } from './log';
import { makePlan, seededRandom } from './plan';
import { buildReport, renderReport } from './report';
import { ApiClient } from './stack/api-client';
import { appPidDir, createFleet, databaseUrl, type Fleet } from './stack/apps';
import { killLeftovers } from './stack/process';
import { PrivateInfra } from './stack/infra';
import { connectTemporal } from './stack/temporal';
import { verify } from './verify';
import { sqlOf } from './verify/sql';
import { CHAOS_JOBS } from './workload/jobs';
import { createJobs, prepareDatabase, warmUp } from './workload/setup';

const settings = loadSettings();
const infra = new PrivateInfra(settings);
let fleet: Fleet | null = null;
const open: Array<MikroORM | Client> = [];

async function teardown(): Promise<void> {
  await Promise.all((fleet?.all ?? []).map((a) => a.shutdown().catch(() => undefined)));
  for (const o of open) await ('connection' in o ? o.connection.close() : o.close(true)).catch(() => undefined);
  if (settings.options.keep) say(`stack left running (--keep): bash infra/down.sh with TK_DATA_DIR=${settings.dataDir} stops it`);
  else await infra.down().catch((err: unknown) => say(`infra down failed: ${errorText(err)}`));
}

async function main(): Promise<number> {
  const { options, ports } = settings;
  const random = seededRandom(options.seed);
  const plan = makePlan(options, random);
  say(`${plan.name} form: private stack in ${settings.dataDir}, ports ${ports.mariadb - 1}..${ports.mariadb + 98}, ${options.workers} workers`);
  const leftovers = killLeftovers(appPidDir(settings), settings.dataDir);
  if (leftovers) say(`stopped ${leftovers} app processes an interrupted run left behind`);
  await infra.wipe();
  await infra.up();
  const conn = infra.connection();
  const url = databaseUrl(conn);
  await (await prepareDatabase(url, plan.seed)).close(true);

  const adminKey = `tk_chaos_${randomBytes(18).toString('base64url')}`;
  fleet = createFleet(settings, conn, adminKey);
  for (const app of fleet.all) app.start();
  for (const app of fleet.all) if (!(await app.ready(120_000))) throw new Error(`${app.name} did not become ready (log: ${app.spec.logFile})`);
  say('apps ready');
  const api = new ApiClient(`http://127.0.0.1:${ports.api}`, adminKey);
  const temporal = await connectTemporal(conn.temporalAddress);
  open.push(temporal);
  const since = await createJobs(api, CHAOS_JOBS);
  say(`${CHAOS_JOBS.length} jobs created; waiting for their first runs`);
  await warmUp(api, CHAOS_JOBS, 15_000, 120_000);

  const ctx: FaultContext = { infra, fleet, api, temporal, jobs: CHAOS_JOBS, since, random, timeline: new Timeline(), outcome: {} };
  const window = await runPlan(ctx, plan);

  // A fresh pool: the one from before the MariaDB crash may hold dead connections.
  const orm = await createOrm({ url, poolMax: 4 });
  open.push(orm);
  const findings = await verify({
    sql: sqlOf(orm),
    temporal,
    kafkaBrokers: conn.kafkaBrokers,
    jobs: CHAOS_JOBS,
    since,
    window,
    outcome: ctx.outcome,
    timeline: ctx.timeline,
    plan,
  });
  const report = buildReport(plan, window, ctx.timeline, ctx.outcome, findings, fleet.ownExits);
  const title = `chaos (${plan.name} form): ${Math.round((window.end - window.start) / 1000)} s of faults, ${options.workers} workers, ${CHAOS_JOBS.length} jobs, seed ${options.seed}`;
  process.stdout.write(`\n${renderReport(title, report)}\n`);
  return report.failed ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the private stack`);
    void teardown().finally(() => process.exit(130));
  });
}

void main()
  .catch((err: unknown) => {
    process.stderr.write(`chaos: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  })
  .then(async (code) => {
    await teardown();
    process.exit(code);
  });
