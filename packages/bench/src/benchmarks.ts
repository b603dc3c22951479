/**
 * Every benchmark `pnpm bench` runs, in this order. Each is a script of the package that owns what it
 * measures (it needs that package's wiring); it measures its baseline in the same process and run,
 * prints its own figures and hands them to the runner (report.ts). `quick` shrinks it for a check.
 */
export type Benchmark = {
  name: string;
  what: string;
  /** Working directory, relative to the repository root. */
  cwd: string;
  command: string[];
  /** Settings for this part (e.g. a size), and on top of them in quick mode. */
  env?: Record<string, string>;
  quick?: { env?: Record<string, string>; args?: string[] };
};

type Part = [name: string, cwd: string, script: string, what: string, extra?: Pick<Benchmark, 'env' | 'quick'>];

// One row per part: a `*.js` script runs with node, anything else is a package script (`pnpm run`).
const PARTS: Part[] = [
  ['api-jobs', 'apps/api', 'bench:list', 'GET /v1/jobs over 1,000 definitions vs one prepared mysql2 query in a bare Fastify route', { quick: { env: { BENCH_SECONDS: '3' } } }],
  [
    'api-runs',
    'apps/api',
    'bench:runs',
    'GET /v1/runs, /v1/jobs/:key/runs (job, status, time range) and the timeline data over a large ledger vs one prepared mysql2 query',
    { quick: { env: { BENCH_LEDGER_ROWS: '100000', BENCH_SECONDS: '2', BENCH_ROUNDS: '1' } } },
  ],
  ['lock', 'packages/bench', 'dist/lock-bench.js', 'job lock acquire + release vs raw SET NX PX + DEL on the same Redis', { quick: { env: { BENCH_ITERATIONS: '300' } } }],
  ['fire-start', 'apps/worker', 'bench:fire', 'nominal fire time -> activity start, Timekeeper schedules vs bare Temporal schedules', { quick: { env: { BENCH_SCHEDULES: '4', BENCH_SECONDS: '20' } } }],
  [
    'lock-fairness',
    'apps/worker',
    'bench:locks',
    "another job's slot starts while a 200-slot backfill queues for one job's lock, vs no backfill",
    { quick: { env: { BENCH_BACKFILL_SLOTS: '20', BENCH_FIRES: '10' } } },
  ],
  ['outbox', 'apps/worker', 'bench:outbox', 'chunk commit latency with the relays\u2019 Kafka up, hanging and down', { quick: { env: { BENCH_CHUNKS: '10', BENCH_CYCLES: '1' } } }],
  ['alert-latency', 'apps/alerting', 'bench:latency', 'run close -> alert on the live stream and in Kafka', { quick: { env: { BENCH_RUNS: '12' } } }],
  [
    'alert-latency-2k',
    'apps/alerting',
    'bench:latency',
    'run close -> alert on the live stream and in Kafka, with 2,000 more jobs defined (paused one-minute crons the sweeper evaluates)',
    { env: { BENCH_DEFINED_JOBS: '2000' }, quick: { env: { BENCH_RUNS: '12', BENCH_DEFINED_JOBS: '50' } } },
  ],
  ['sweep', 'apps/alerting', 'bench:sweep', 'one sweeper pass over 2,000 one-minute jobs vs a bare loop of DescribeSchedule calls', { quick: { args: ['--', '50'] } }],
  ['same-minute', 'apps/alerting', 'bench:same-minute', '1,000 jobs firing on one minute vs 1,000 bare schedules on another', { quick: { args: ['--', '30'] } }],
  ['jobs', 'apps/worker', 'bench:jobs', 'vip-recalculation through the worker vs one set-based SQL statement', { quick: { env: { BENCH_USERS: '20000', BENCH_ORDERS: '100000' } } }],
  ['timeline', 'packages/bench', 'dist/timeline-bench.js', 'console timeline redraw and live update with 200 jobs x 7 days of minute slots, in Chromium', { quick: { env: { BENCH_SPEC: '20x1' } } }],
  [
    'cost-curve',
    'packages/bench',
    'dist/cost-curve.js',
    'CPU and memory of each app and the API p99 for 10 / 100 / 1,000 one-minute jobs',
    { quick: { env: { BENCH_SIZES: '5,20', BENCH_WARMUP_S: '30', BENCH_WINDOW_S: '60' } } },
  ],
];

export const BENCHMARKS: Benchmark[] = PARTS.map(([name, cwd, script, what, extra]) => ({
  name,
  what,
  cwd,
  command: script.endsWith('.js') ? ['node', script] : ['pnpm', 'run', '--silent', script],
  ...extra,
}));
