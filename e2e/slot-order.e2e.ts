import { expect, test } from '@playwright/test';
import { ARTIFACTS, apiCall, createJobViaApi, signIn, uniqueKey, watchConsole } from './helpers';

// Slot order in the console (issue 9 #2): backfilling an older slot of a latest-state job is
// explained before anything starts, and the slot then shows as superseded.
test.use({ timezoneId: 'UTC' });

const MONDAY = '2026-11-16T03:00:00.000Z';
const TUESDAY = '2026-11-17T03:00:00.000Z';
type Runs = { items: Array<{ slot: string; status: string }> };

test('a backfill of an older latest-state slot asks first, then the slot ends superseded', async ({ page, request }) => {
  const key = uniqueKey('e2e-vip-order');
  await createJobViaApi(request, {
    key,
    name: `E2E ${key}`,
    kind: 'vip-recalculation',
    params: { windowDays: 30, chunkSize: 1000 },
    schedule: { cron: '0 3 * * *', timezone: 'UTC', overlapPolicy: 'allow_all', catchupWindow: '1m' },
    retry: { maxAttempts: 1 },
    timeouts: { run: '5m', startToClose: '2m', heartbeat: '20s' },
    tags: [key],
  });
  const statusOf = async (slot: string) => (await apiCall<Runs>(request, 'GET', `/v1/jobs/${key}/runs`)).body.items.find((r) => r.slot === slot)?.status;

  // Tuesday's slot runs first and succeeds.
  const tuesday = await apiCall(request, 'POST', `/v1/jobs/${key}/backfill`, { from: '2026-11-17T02:00:00Z', to: '2026-11-17T04:00:00Z' });
  expect(tuesday.status).toBe(202);
  await expect.poll(() => statusOf(TUESDAY), { timeout: 90_000 }).toBe('succeeded');

  const console = watchConsole(page);
  await signIn(page);
  await page.goto(`/jobs/${key}`);
  await page.getByTestId('backfill').click();
  await page.getByLabel(/^From/).fill('2026-11-16T02:00');
  await page.getByLabel(/^To/).fill('2026-11-16T04:00');
  await expect(page.getByTestId('backfill-preview')).toContainText('1 slot in this range');
  await page.getByTestId('confirm-backfill').click();

  const confirm = page.getByTestId('superseded-confirm');
  await expect(confirm).toContainText(`older than slot ${TUESDAY}`);
  await page.screenshot({ path: `${ARTIFACTS}/backfill-superseded-confirm.png` });
  expect(await statusOf(MONDAY)).toBeUndefined(); // nothing started before the confirmation
  await page.getByTestId('confirm-superseded').click();

  await expect.poll(() => statusOf(MONDAY), { timeout: 90_000 }).toBe('superseded');
  await page.goto(`/jobs/${key}`);
  await expect(page.locator('[data-testid="slot-row"][data-status="superseded"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="slot-row"][data-status="succeeded"]')).toHaveCount(1);
  await page.screenshot({ path: `${ARTIFACTS}/slot-history-superseded.png` });
  expect(console.errors).toEqual([]);
});
