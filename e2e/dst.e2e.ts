import { expect, test } from '@playwright/test';
import { ADMIN_API_KEY, ARTIFACTS, signIn, uniqueKey, watchConsole } from './helpers';

// Issue 12 in the console: the two DST policy selects with their help, and the preview's flags.
// London changes clocks on 2027-03-28 (01:00→02:00) and 2027-10-31 (02:00→01:00); crons pinned to
// those days show the flags whatever day the spec runs on.

test.beforeAll(() => {
  if (!ADMIN_API_KEY) throw new Error('Set ADMIN_API_KEY (and WEB_URL, API_URL) to run the console specs');
});

test('the form sets the DST policy; preview and next slots show what it does', async ({ page }) => {
  const console = watchConsole(page);
  const key = uniqueKey('e2e-dst');
  await signIn(page);
  await page.getByTestId('new-job').click();
  await page.getByLabel('Name').fill(`E2E ${key}`);
  await page.getByLabel('Key').fill(key);
  await page.getByLabel('Kind').selectOption('synthetic');
  await page.getByLabel('Time zone').fill('Europe/London');
  const preview = page.getByTestId('schedule-preview').locator('li');

  // Autumn: 01:30 happens twice. "last" skips the first one, and the preview still lists it.
  await page.getByLabel('Cron expression').fill('30 1 31 10 *');
  const repeated = page.getByLabel('Repeated time (clocks fall back)');
  await repeated.selectOption('last');
  await expect(page.getByText('run at the second one (winter time)')).toBeVisible();
  await expect(preview.first()).toHaveAttribute('data-status', 'skipped');
  await expect(preview.first()).toContainText('skipped by policy · ambiguous: first');
  await expect(preview.nth(1)).toHaveAttribute('data-status', 'fires');
  await expect(preview.nth(1)).toContainText('ambiguous: last');

  // Spring: 01:30 does not exist. "shift" runs it at 02:00; "skip" lists it as skipped.
  await page.getByLabel('Cron expression').fill('30 1 28 3 *');
  await expect(preview.first()).toContainText('shifted from 01:30');
  await page.getByLabel('Missing time (clocks jump forward)').selectOption('skip');
  await expect(page.getByText('skip that slot (it is listed as skipped)')).toBeVisible();
  await expect(preview.first()).toContainText('01:30 does not exist: skipped by policy');
  await page.screenshot({ path: `${ARTIFACTS}/dst-form.png`, fullPage: true });

  // An interval has no policy to choose, and says why.
  await page.getByRole('button', { name: 'Interval', exact: true }).click();
  await expect(page.getByTestId('interval-dst-note')).toContainText('Intervals run in absolute time');
  await expect(repeated).toHaveCount(0);
  await page.getByRole('button', { name: 'Cron', exact: true }).click();

  await page.getByTestId('save-job').click();
  await page.waitForURL(`**/jobs/${key}`);
  await expect(page.getByTestId('dst-policy')).toHaveText('repeated time: last · missing time: skip');
  const next = page.getByTestId('next-fire-times').locator('tbody tr');
  await expect(next.first()).toHaveAttribute('data-status', 'skipped');
  await expect(next.first()).toContainText('01:30 does not exist: skipped by policy');
  await page.screenshot({ path: `${ARTIFACTS}/dst-job-detail.png`, fullPage: true });
  expect(console.errors).toEqual([]);
});
