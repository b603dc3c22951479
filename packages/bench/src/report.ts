import { appendFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { formatTable, type BenchFigure } from './figures';

/**
 * Settings every benchmark script takes (compose into its own schema): where the runner collects
 * figures, and the quick mode (small sizes, to check a benchmark works; its figures mean little).
 */
export const BenchEnvSchema = Type.Object({
  BENCH_RESULT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  BENCH_QUICK: Type.Boolean({ default: false }),
});

/**
 * Prints the script's own figures as a table and, under `pnpm bench`, appends them as JSON lines to
 * the runner's result file, which prints every benchmark's figures in one table at the end.
 */
export function reportFigures(figures: BenchFigure[], resultFile: string | undefined): void {
  process.stdout.write(`\n${formatTable(figures)}\n`);
  if (resultFile) appendFileSync(resultFile, figures.map((f) => `${JSON.stringify(f)}\n`).join(''));
}
