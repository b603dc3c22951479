import { expect, test } from '@playwright/test';
import { ADMIN_API_KEY, apiCall, ARTIFACTS, createJobViaApi, signIn, syntheticJob, uniqueKey, watchConsole } from './helpers';

// Progress is the ledger's, live: the drawer of a running multi-chunk job shows done of the estimate
// growing, an ETA, and then the close time, all from the live stream (run listings are cut off once
// the drawer is open, so nothing can come from a refetch).

test.beforeAll(() => {
  if (!ADMIN_API_KEY) throw new Error('Set ADMIN_API_KEY (and WEB_URL, API_URL) to run the console specs');
});

test('the run drawer shows progress advance live and the close time appear without reload', async ({ page, request }) => {
  const console = watchConsole(page);
  const key = uniqueKey('e2e-progress');
  await createJobViaApi(request, syntheticJob(key, key, { chunks: 12, chunkMs: 1500 }));
  await signIn(page);
  await page.goto('/timeline');
  // A wide zoom keeps the loaded window the same for the whole test (no refetch for a new range).
  await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: '7d' }).click();
  await page.getByLabel('Tag').selectOption(key);
  const row = page.getByTestId(`timeline-row-${key}`);
  await expect(row).toBeVisible();

  expect((await apiCall(request, 'POST', `/v1/jobs/${key}/trigger`, {})).status).toBe(202);
  await expect(row).toHaveAttribute('data-last-status', 'running', { timeout: 60_000 });
  await page.route(/\/api\/v1\/(runs|jobs\/[^/?]+\/runs)(\?|$)/, (route) => route.abort());
  await row.getByTestId('latest-run').click();
  await expect(page.getByTestId('run-drawer')).toBeVisible();
  await expect(page.getByTestId('run-closed')).toHaveText('still running');

  const bar = page.getByRole('progressbar', { name: 'Progress' });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  const percent = async () => Number(await bar.getAttribute('aria-valuenow'));
  const first = await percent();
  expect(first).toBeLessThan(100);
  await expect.poll(percent, { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId('progress-done')).toContainText('of 12 chunks');
  await expect(page.getByTestId('progress-eta')).toContainText(/ETA \d{2}:\d{2}:\d{2}/);
  await page.screenshot({ path: `${ARTIFACTS}/run-progress.png` });

  await expect(page.getByTestId('run-closed')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, { timeout: 60_000 });
  await expect(page.getByTestId('run-drawer').locator('[data-verdict]')).toHaveAttribute('data-verdict', 'succeeded');
  await expect(page.getByTestId('progress-done')).toHaveText('12 of 12 chunks');
  await expect(row).toHaveAttribute('data-last-status', 'succeeded');
  expect(console.errors).toEqual([]);
});
