import { expect, test, type Page } from '@playwright/test';
import { ADMIN_API_KEY, apiCall, ARTIFACTS, createJobViaApi, signIn, syntheticJob, uniqueKey, waitUntilSynced, watchConsole } from './helpers';

// The console end to end: the form, the list, the live timeline, run actions, alerts, pause, roles.
// Run-dependent steps need the worker (and the alert steps the alerting service) of the same stack.

test.beforeAll(() => {
  if (!ADMIN_API_KEY) throw new Error('Set ADMIN_API_KEY (and WEB_URL, API_URL) to run the console specs');
});

async function timelineFor(page: Page, tag: string, zoom = '1h') {
  await page.goto('/timeline');
  await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: zoom }).click();
  await page.getByLabel('Tag').selectOption(tag);
}

test('create a job in the form; it is listed and on the timeline; Run now completes live', async ({ page, request }) => {
  const console = watchConsole(page);
  const key = uniqueKey('e2e-ok');
  const tag = key;
  await signIn(page);

  await page.getByTestId('new-job').click();
  await page.getByLabel('Name').fill(`E2E ${key}`);
  await page.getByLabel('Key').fill(key);
  await page.getByLabel('Tags').fill(tag);
  await page.getByLabel('Kind').selectOption('synthetic');
  await page.getByLabel('chunks').fill('4');
  await page.getByLabel('chunkMs').fill('1500');
  await page.getByLabel('Cron expression').fill('0 0 1 1 *');
  await expect(page.getByTestId('schedule-preview').locator('li').first()).toContainText('01-01 00:00');
  await page.getByLabel('Overlap').selectOption('allow_all');
  await page.getByTestId('save-job').click();
  await page.waitForURL(`**/jobs/${key}`);
  await expect(page.getByRole('heading', { name: `E2E ${key}` })).toBeVisible();

  const nextRunCalls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/next-runs')) nextRunCalls.push(path);
  });
  await page.goto('/jobs');
  await expect(page.getByTestId(`job-row-${key}`)).toBeVisible();
  await expect(page.getByTestId(`job-row-${key}`)).toContainText('At 00:00 on day 1 of the month in January, UTC');
  await expect(page.getByTestId(`job-row-${key}`).getByTestId('next-run')).toContainText('01-01 00:00');
  // Every row's next run comes in one request for the list, not one per job (each counts against the key's budget).
  expect(nextRunCalls.length).toBeGreaterThan(0);
  expect(nextRunCalls.filter((p) => p !== '/api/v1/next-runs')).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/jobs.png`, fullPage: true });

  // Run now needs the schedule in Temporal; a loaded machine may still be pushing it (409 sync_pending until then).
  await waitUntilSynced(request, key);
  await page.goto(`/jobs/${key}`);
  await page.getByTestId('run-now').click();
  await page.getByTestId('confirm-run-now').click();
  await expect(page.getByText(`Started ${key}`)).toBeVisible();

  await timelineFor(page, tag);
  const row = page.getByTestId(`timeline-row-${key}`);
  await expect(row).toBeVisible();
  // The bar appears (running or already done) and completes, with no reload.
  await expect(row).toHaveAttribute('data-last-status', /running|succeeded/, { timeout: 60_000 });
  await expect(row).toHaveAttribute('data-last-status', 'succeeded', { timeout: 90_000 });
  await page.screenshot({ path: `${ARTIFACTS}/timeline.png` });

  await page.goto(`/jobs/${key}`);
  await expect(page.getByTestId('slot-row').first()).toHaveAttribute('data-status', /completed|succeeded/);
  await page.screenshot({ path: `${ARTIFACTS}/job-detail.png`, fullPage: true });
  expect(console.errors).toEqual([]);
});

test('a failing job turns red and raises an alert without reload; Retry runs it again', async ({ page, context, request }) => {
  const key = uniqueKey('e2e-fail');
  const tag = key;
  await createJobViaApi(request, syntheticJob(key, tag, { chunks: 2, chunkMs: 200, failAtChunk: 1, failure: 'non-retryable', failOnRetry: false }));
  await signIn(page);

  const alerts = await context.newPage();
  const alertsConsole = watchConsole(alerts);
  await alerts.goto('/alerts');
  await timelineFor(page, tag);
  const row = page.getByTestId(`timeline-row-${key}`);
  await expect(row).toBeVisible();

  expect((await apiCall(request, 'POST', `/v1/jobs/${key}/trigger`, {})).status).toBe(202);
  await expect(row).toHaveAttribute('data-last-status', 'failed', { timeout: 90_000 });
  await page.screenshot({ path: `${ARTIFACTS}/timeline-failed.png` });

  const alertRow = alerts.locator(`[data-testid="alert-row"][data-job="${key}"]`).first();
  await expect(alertRow).toBeVisible({ timeout: 120_000 });
  await expect(alertRow).toHaveAttribute('data-kind', 'failed');
  await expect(alerts.getByTestId('alert-count')).toBeVisible();
  await alerts.screenshot({ path: `${ARTIFACTS}/alerts.png` });
  expect(alertsConsole.errors).toEqual([]);

  // Retry re-runs the same slot and input; this job fails only on the first run of a slot.
  await row.getByTestId('latest-run').click();
  const drawer = page.getByTestId('run-drawer');
  await expect(drawer).toBeVisible();
  await page.getByTestId('retry-run').click();
  await expect(page.getByText(/New run .* started for the same slot/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(row).toHaveAttribute('data-last-status', 'succeeded', { timeout: 90_000 });
});

test('Pause shows at once, reaches Temporal, and Resume undoes it', async ({ page, request }) => {
  const key = uniqueKey('e2e-pause');
  await createJobViaApi(request, syntheticJob(key, key, { chunks: 1, chunkMs: 10 }, { schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } }));
  await signIn(page);
  await page.goto(`/jobs/${key}`);
  await page.getByTestId('pause-job').click();
  await page.getByLabel('Note (optional)').fill('e2e maintenance window');
  await page.getByTestId('confirm-pause').click();
  await expect(page.getByTestId('paused-badge')).toBeVisible();

  await expect
    .poll(async () => {
      const job = await apiCall<{ paused: boolean; syncStatus: string; pauseNote: string | null }>(request, 'GET', `/v1/jobs/${key}`);
      return `${job.body.paused}/${job.body.syncStatus}/${job.body.pauseNote}`;
    }, { timeout: 30_000 })
    .toBe('true/synced/e2e maintenance window');

  await page.getByTestId('resume-job').click();
  await page.getByTestId('confirm-pause').click();
  await expect(page.getByTestId('paused-badge')).toHaveCount(0);
  await expect
    .poll(async () => {
      const job = await apiCall<{ paused: boolean; syncStatus: string }>(request, 'GET', `/v1/jobs/${key}`);
      return `${job.body.paused}/${job.body.syncStatus}`;
    }, { timeout: 30_000 })
    .toBe('false/synced');
  // The audit trail on the page records both.
  await page.reload();
  await expect(page.getByTestId('audit-table')).toContainText('e2e maintenance window');
});

test('an invalid cron shows its error at the field', async ({ page }) => {
  await signIn(page);
  await page.goto('/jobs/new');
  await page.getByLabel('Cron expression').fill('0 99 * * *');
  await expect(page.getByTestId('error-schedule.cron')).toContainText(/hour/i);
  await expect(page.getByLabel('Cron expression')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Cron expression').fill('*/15 * * * *');
  await expect(page.getByTestId('error-schedule.cron')).toHaveCount(0);
  await expect(page.getByTestId('schedule-preview').locator('li')).toHaveCount(5);
});

test('a viewer sees no buttons that change anything', async ({ page, request }) => {
  const key = uniqueKey('e2e-view');
  await createJobViaApi(request, syntheticJob(key, key, { chunks: 1, chunkMs: 10 }));
  const minted = await apiCall<{ key: string }>(request, 'POST', '/v1/keys', { name: `e2e viewer ${key}`, role: 'viewer' });
  expect(minted.status).toBe(201);
  await signIn(page, minted.body.key);
  await expect(page.getByTestId('whoami')).toContainText('viewer');

  await expect(page.getByTestId(`job-row-${key}`)).toBeVisible();
  for (const id of ['new-job', 'bulk-pause', 'bulk-resume']) await expect(page.getByTestId(id)).toHaveCount(0);
  await expect(page.getByRole('checkbox')).toHaveCount(0);

  await page.goto(`/jobs/${key}`);
  await expect(page.getByTestId('definition')).toBeVisible();
  for (const id of ['pause-job', 'resume-job', 'run-now', 'backfill', 'edit-job', 'delete-job']) await expect(page.getByTestId(id)).toHaveCount(0);

  await page.goto('/alerts');
  await expect(page.getByRole('button', { name: /Acknowledge|Resolve/ })).toHaveCount(0);

  // The API agrees: the proxy passes the viewer's key, and a change is refused.
  const res = await page.request.post(`/api/v1/jobs/${key}/pause`, { data: {}, headers: { 'content-type': 'application/json' } });
  expect(res.status()).toBe(403);
});
