import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, signIn, watchConsole } from './helpers';

// The timeline with 200 jobs × 7 days of minute slots (about two million slots), generated in the
// browser: it must draw them without errors. The page times first draw, redraws and live updates with
// performance.now(); the figures are written to e2e/artifacts/timeline-perf-<width>.json and printed, not
// asserted: a timed assertion fails on a noisy CI machine (17.7 ms against a 16 ms bound once), so the
// frame-budget target belongs in the benchmark run (`pnpm bench`, issue 13), not in the test suite.
test('timeline draws 200 jobs × 7 days of minute slots and reports its frame times', async ({ page }) => {
  const pageConsole = watchConsole(page);
  await signIn(page);
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: width === 1920 ? 1080 : 860 });
    await page.goto('/timeline?synthetic=200x7');
    await expect(page.getByTestId('timeline-perf')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
    const perf = await page.evaluate(() => window.__timelinePerf);
    mkdirSync(ARTIFACTS, { recursive: true });
    expect(perf).toBeDefined();
    writeFileSync(`${ARTIFACTS}/timeline-perf-${width}.json`, `${JSON.stringify(perf, null, 2)}\n`);
    test.info().annotations.push({ type: `perf@${width}`, description: JSON.stringify(perf) });
    expect(perf!.slots).toBeGreaterThan(2_000_000);
    expect(perf!.render.p95Ms).toBeGreaterThan(0);
    expect(perf!.update.p95Ms).toBeGreaterThan(0);
    console.log(`timeline @${width}px: redraw p95 ${perf!.render.p95Ms} ms, live update p95 ${perf!.update.p95Ms} ms (frame 16.7 ms)`);
    await page.screenshot({ path: `${ARTIFACTS}/timeline-synthetic-${width}.png` });
  }
  expect(pageConsole.errors).toEqual([]);
});

declare global {
  interface Window {
    __timelinePerf?: { slots: number; render: { p95Ms: number }; update: { p95Ms: number } };
  }
}
