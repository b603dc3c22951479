// `pnpm bench --only timeline`: the console's timeline canvas with 200 jobs x 7 days of minute slots
// (about two million, generated in the browser by `?synthetic=200x7`) in Debian's Chromium: p95 of a
// full redraw and of a live update (one slot changed, redrawn), against the same page with 1 job x 1
// day in the same run (the fixed cost of a frame). Target: both fit a 60 Hz frame (16 ms). The e2e
// spec checks that it draws without errors; the frame budget is judged here, not in the test suite.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { createOrm, migrate, recreateDatabase } from '@timekeeper/db';
import { loadConfigOrExit } from '@timekeeper/runtime';
import { chromium, type Page } from 'playwright-core';
import type { BenchFigure } from './figures';
import { BenchEnvSchema, reportFigures, runBench, StackEnvSchema } from './report';
import { startStack } from './stack';

const config = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    StackEnvSchema,
    Type.Object({
      CHROMIUM_PATH: Type.String({ default: '/usr/bin/chromium' }),
      BENCH_PORT_BASE: Type.Integer({ minimum: 1024, maximum: 65_000, default: 5910 }),
      BENCH_SPEC: Type.String({ pattern: '^\\d+x\\d+$', default: '200x7' }),
    }),
  ]),
);
const out = (s: string) => process.stdout.write(`timeline: ${s}\n`);

type Perf = { slots: number; firstRenderMs: number; render: { p95Ms: number }; update: { p95Ms: number } };

async function measure(page: Page, spec: string): Promise<Perf> {
  await page.goto(`/timeline?synthetic=${spec}`);
  await page.locator('[data-testid="timeline-perf"][data-ready="true"]').waitFor({ timeout: 120_000 });
  const perf = await page.evaluate(() => (globalThis as unknown as { __timelinePerf?: Perf }).__timelinePerf);
  if (!perf) throw new Error(`no figures from /timeline?synthetic=${spec}`);
  return perf;
}

async function main(): Promise<void> {
  const url = new URL(config.DATABASE_URL);
  url.pathname = `${url.pathname}_bench_timeline`;
  await recreateDatabase(url.toString());
  const orm = await createOrm({ url: url.toString(), poolMax: 1 });
  await migrate(orm);
  await orm.close(true);
  const stack = await startStack({ apps: ['api', 'web'], services: config, databaseUrl: url.toString(), portBase: config.BENCH_PORT_BASE, tag: `timeline-${randomUUID().slice(0, 8)}` });
  const browser = await chromium.launch({
    executablePath: config.CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const figures: BenchFigure[] = [];
  try {
    for (const width of [1280, 1920]) {
      const page = await browser.newPage({ baseURL: stack.webUrl, viewport: { width, height: width === 1920 ? 1080 : 860 } });
      await page.goto('/login');
      await page.getByLabel('API key').fill(stack.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/jobs');
      const small = await measure(page, '1x1');
      const big = await measure(page, config.BENCH_SPEC);
      out(`@${width}px: ${big.slots.toLocaleString('en-US')} slots, first draw ${big.firstRenderMs} ms, redraw p95 ${big.render.p95Ms} ms, live update p95 ${big.update.p95Ms} ms`);
      out(`@${width}px: ${small.slots.toLocaleString('en-US')} slots, redraw p95 ${small.render.p95Ms} ms, live update p95 ${small.update.p95Ms} ms`);
      const common = { bench: 'timeline', unit: 'ms', baselineName: `the same page with 1 job x 1 day (${small.slots.toLocaleString('en-US')} slots), same browser and run` };
      figures.push(
        { ...common, name: `${config.BENCH_SPEC} redraw p95 @${width}px (${Math.round(big.slots / 1e3)}k slots)`, figure: big.render.p95Ms, baseline: small.render.p95Ms, target: { max: 16 } },
        { ...common, name: `${config.BENCH_SPEC} live update p95 @${width}px`, figure: big.update.p95Ms, baseline: small.update.p95Ms, target: { max: 16 } },
      );
      await page.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  reportFigures(figures, config.BENCH_RESULT_FILE);
}

runBench('timeline', main);
