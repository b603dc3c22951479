/**
 * Every benchmark `pnpm bench` runs, in this order. Each is a script of the package that owns what it
 * measures (it needs that package's wiring); it measures its baseline in the same process and run,
 * prints its own figures and hands them to the runner (report.ts). `quickEnv` shrinks it for a check.
 */
export type Benchmark = {
  name: string;
  what: string;
  /** Working directory, relative to the repository root. */
  cwd: string;
  command: string[];
  quickEnv?: Record<string, string>;
};

export const BENCHMARKS: Benchmark[] = [
  {
    name: 'api-jobs',
    what: 'GET /v1/jobs over 1,000 definitions vs one prepared mysql2 query in a bare Fastify route',
    cwd: 'apps/api',
    command: ['pnpm', 'run', '--silent', 'bench:list'],
    quickEnv: { BENCH_SECONDS: '3' },
  },
  {
    name: 'api-runs',
    what: 'GET /v1/runs, /v1/jobs/:key/runs (job, status, time range) and the timeline data over a large ledger vs one prepared mysql2 query',
    cwd: 'apps/api',
    command: ['pnpm', 'run', '--silent', 'bench:runs'],
    quickEnv: { BENCH_LEDGER_ROWS: '100000', BENCH_SECONDS: '2', BENCH_ROUNDS: '1' },
  },
  {
    name: 'lock',
    what: 'job lock acquire + release vs raw SET NX PX + DEL on the same Redis',
    cwd: 'packages/bench',
    command: ['node', 'dist/lock-bench.js'],
    quickEnv: { BENCH_ITERATIONS: '300' },
  },
  {
    name: 'fire-start',
    what: 'nominal fire time -> activity start, Timekeeper schedules vs bare Temporal schedules',
    cwd: 'apps/worker',
    command: ['pnpm', 'run', '--silent', 'bench:fire'],
    quickEnv: { BENCH_SCHEDULES: '4', BENCH_SECONDS: '20' },
  },
  {
    name: 'lock-fairness',
    what: "another job's slot starts while a 200-slot backfill queues for one job's lock, vs no backfill",
    cwd: 'apps/worker',
    command: ['pnpm', 'run', '--silent', 'bench:locks'],
    quickEnv: { BENCH_BACKFILL_SLOTS: '20', BENCH_FIRES: '10' },
  },
  {
    name: 'alert-latency',
    what: 'run close -> alert on the live stream and in Kafka',
    cwd: 'apps/alerting',
    command: ['pnpm', 'run', '--silent', 'bench:latency'],
    quickEnv: { BENCH_RUNS: '12' },
  },
  {
    name: 'jobs',
    what: 'vip-recalculation through the worker vs one set-based SQL statement',
    cwd: 'apps/worker',
    command: ['pnpm', 'run', '--silent', 'bench:jobs'],
    quickEnv: { BENCH_USERS: '20000', BENCH_ORDERS: '100000' },
  },
  {
    name: 'timeline',
    what: 'console timeline redraw and live update with 200 jobs x 7 days of minute slots, in Chromium',
    cwd: 'packages/bench',
    command: ['node', 'dist/timeline-bench.js'],
    quickEnv: { BENCH_SPEC: '20x1' },
  },
  {
    name: 'cost-curve',
    what: 'CPU and memory of each app and the API p99 for 10 / 100 / 1,000 / 5,000 one-minute jobs',
    cwd: 'packages/bench',
    command: ['node', 'dist/cost-curve.js'],
    quickEnv: { BENCH_SIZES: '5,20', BENCH_WARMUP_S: '30', BENCH_WINDOW_S: '60' },
  },
];
