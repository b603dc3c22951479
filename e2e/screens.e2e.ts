import { expect, test } from '@playwright/test';
import { ARTIFACTS, createJobViaApi, signIn, syntheticJob, uniqueKey, watchConsole } from './helpers';

// One screenshot per main page at 1280 and 1920 px, whatever state the runs are in, and no uncaught
// errors or console errors (failed loads of API routes that are not deployed yet are listed apart).
test('main pages render cleanly at 1280 and 1920 px', async ({ page, request }) => {
  const key = uniqueKey('e2e-shot');
  await createJobViaApi(request, syntheticJob(key, 'screens', { chunks: 2, chunkMs: 100 }, { schedule: { cron: '30 2 * * *', timezone: 'America/New_York' } }));
  const console = watchConsole(page);
  await signIn(page);
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: width === 1920 ? 1080 : 860 });
    for (const [name, path, ready] of [
      ['jobs', '/jobs', 'jobs-table'],
      ['job-detail', `/jobs/${key}`, 'next-fire-times'],
      ['job-new', '/jobs/new', 'job-form'],
      ['timeline', '/timeline', `timeline-row-${key}`],
      ['alerts', '/alerts', null],
      ['audit', '/audit', 'audit-table'],
    ] as const) {
      await page.goto(path);
      if (ready) await expect(page.getByTestId(ready).first()).toBeVisible();
      else await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${ARTIFACTS}/${name}-${width}.png`, fullPage: name !== 'timeline' });
    }
  }
  test.info().annotations.push({ type: 'failed loads', description: console.failedLoads.join('\n') || 'none' });
  expect(console.errors).toEqual([]);
});
