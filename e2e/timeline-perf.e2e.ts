import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, signIn, watchConsole } from './helpers';

// The timeline with 200 jobs × 7 days of minute slots (about two million slots), generated in the
// browser: first draw, full redraws and live updates are timed with performance.now() by the page.
test('timeline stays fast with 200 jobs × 7 days of minute slots', async ({ page }) => {
  const console = watchConsole(page);
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
    // A frame is 16.7 ms: a redraw or a live update must fit in one with room to spare.
    expect(perf!.render.p95Ms).toBeLessThan(16);
    expect(perf!.update.p95Ms).toBeLessThan(16);
    await page.screenshot({ path: `${ARTIFACTS}/timeline-synthetic-${width}.png` });
  }
  expect(console.errors).toEqual([]);
});

declare global {
  interface Window {
    __timelinePerf?: { slots: number; render: { p95Ms: number }; update: { p95Ms: number } };
  }
}
