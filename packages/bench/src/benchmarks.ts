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
];
