import { appendFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { formatTable, type BenchFigure } from './figures';

/**
 * Settings every benchmark script takes (compose into its own schema): where the runner collects
 * figures, and the quick mode (small sizes, to check a benchmark works; its figures mean little).
 */
export const BenchEnvSchema = Type.Object({
  BENCH_RESULT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  BENCH_QUICK: Type.Boolean({ default: false }),
});

/** The shared services a benchmark that starts the apps (stack.ts) hands them. */
export const StackEnvSchema = Type.Object({
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  REDIS_URL: Type.String({ minLength: 1 }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1 }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  KAFKA_BROKERS: Type.String({ minLength: 1 }),
});
export type StackEnv = Static<typeof StackEnvSchema>;

/**
 * The environment of a process a benchmark starts: this one's (PATH, HOME, the services; the child
 * parses what it needs through its own schema) with `overrides` on top. The one place the bench
 * package passes process.env on; its own settings it reads only through the schemas above.
 */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/**
 * Prints the script's own figures as a table and, under `pnpm bench`, appends them as JSON lines to
 * the runner's result file, which prints every benchmark's figures in one table at the end.
 */
export function reportFigures(figures: BenchFigure[], resultFile: string | undefined): void {
  process.stdout.write(`\n${formatTable(figures)}\n`);
  if (resultFile) appendFileSync(resultFile, figures.map((f) => `${JSON.stringify(f)}\n`).join(''));
}

/**
 * A benchmark script's entry: runs `main`, then exits (clients' open handles must not keep a finished
 * benchmark alive; a figure-missing target has set process.exitCode), or prints the error and exits 1.
 */
export function runBench(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
