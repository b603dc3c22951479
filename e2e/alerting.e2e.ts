import { createHmac } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { TriggerJobResult } from '@timekeeper/contracts';
import { ADMIN_API_KEY, apiCall, ARTIFACTS, createJobViaApi, signIn, syntheticJob, uniqueKey, watchConsole } from './helpers';
import { startReceiver } from './receiver';

// The console's alerting pages (issue 14) against the real stack: alerts grouped by incident with their
// filters in the URL and an acknowledgement with a note; a routing rule made in the form whose test-send
// reaches a receiver this spec runs, signed, and whose dead letters are requeued from the page; a
// maintenance window made, listed and ended; "Pause until …" on the job list. The pause steps check that
// the alerting service acted (its audit entries), not only that the API stored the window.

type Alert = { id: number; jobKey: string; kind: string; status: string; note: string | null; acknowledgedBy: string | null };
type Audit = { items: Array<{ action: string; actor: string }> };
type Window = { id: number; name: string; jobs: string[]; mode: string; from: string | null; to: string | null; endedAt: string | null };

test.beforeAll(() => {
  if (!ADMIN_API_KEY) throw new Error('Set ADMIN_API_KEY (and WEB_URL, API_URL) to run the console specs');
});

const alertsOf = async (request: APIRequestContext, job: string) => (await apiCall<{ items: Alert[] }>(request, 'GET', `/v1/alerts?job=${job}`)).body.items;
const auditActions = async (request: APIRequestContext, job: string) => (await apiCall<Audit>(request, 'GET', `/v1/audit?job=${job}`)).body.items.map((e) => `${e.action} by ${e.actor}`);

/** Runs a job that fails and waits until its slot's alert is in (the API starts each trigger as a slot of its own). */
async function failOnce(request: APIRequestContext, job: string, alerts: number): Promise<void> {
  const trigger = await apiCall<TriggerJobResult>(request, 'POST', `/v1/jobs/${job}/trigger`, {});
  expect(trigger.status).toBe(202);
  expect(trigger.body.outcome).toBe('started');
  await expect.poll(async () => (await alertsOf(request, job)).length, { timeout: 120_000, message: `alert ${alerts} of ${job}` }).toBe(alerts);
}

/** `YYYY-MM-DDTHH:mm` in the browser's zone, as a datetime-local input takes it. */
const localInput = (page: Page, at: number) =>
  page.evaluate((t) => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, at);

test('alerts are grouped by incident, filters stay in the URL, and an acknowledgement keeps its note', async ({ page, request }) => {
  const console = watchConsole(page);
  const failing = uniqueKey('e2e-inc');
  const other = uniqueKey('e2e-inc2');
  const params = { chunks: 2, chunkMs: 50, failAtChunk: 1, failure: 'non-retryable' };
  await createJobViaApi(request, syntheticJob(failing, failing, params));
  await createJobViaApi(request, syntheticJob(other, other, params));
  await failOnce(request, failing, 1);
  await failOnce(request, failing, 2);
  await failOnce(request, other, 1);

  await signIn(page);
  await page.goto('/alerts');
  // One incident per job and kind, holding each failed slot.
  const incident = page.locator(`[data-testid="incident"][data-job="${failing}"][data-kind="failed"]`);
  await expect(incident).toBeVisible({ timeout: 30_000 });
  await expect(incident.getByTestId('alert-row')).toHaveCount(2);
  await expect(incident).toContainText('2 slots');
  await expect(page.locator(`[data-testid="incident"][data-job="${other}"]`).getByTestId('alert-row')).toHaveCount(1);

  // Filters go into the URL and come back from it.
  await page.getByLabel('Kind', { exact: true }).selectOption('failed');
  await page.getByLabel('Job key', { exact: true }).fill(failing);
  await page.getByLabel('Job key', { exact: true }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]job=${failing}`));
  await expect(page).toHaveURL(/[?&]kind=failed/);
  await page.reload();
  await expect(page.getByLabel('Kind', { exact: true })).toHaveValue('failed');
  await expect(page.getByLabel('Job key', { exact: true })).toHaveValue(failing);
  await expect(incident.getByTestId('alert-row')).toHaveCount(2);
  await expect(page.locator(`[data-testid="incident"][data-job="${other}"]`)).toHaveCount(0);

  // Acknowledge one slot with a note: it leaves the open list, and the acknowledged list shows who and why.
  const note = `e2e ack ${failing}`;
  const first = incident.getByTestId('alert-row').first();
  await first.getByRole('button', { name: 'Acknowledge' }).click();
  await first.getByLabel('Acknowledge note').fill(note);
  await first.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(incident.getByTestId('alert-row')).toHaveCount(1);
  await page.getByLabel('Status', { exact: true }).selectOption('acknowledged');
  await expect(page).toHaveURL(/[?&]status=acknowledged/);
  const acked = page.locator(`[data-testid="alert-row"][data-job="${failing}"][data-status="acknowledged"]`);
  await expect(acked).toHaveCount(1);
  await expect(acked).toContainText(`note: ${note}`);
  await page.screenshot({ path: `${ARTIFACTS}/alerts-acknowledged.png`, fullPage: true });

  const stored = (await alertsOf(request, failing)).filter((a) => a.status === 'acknowledged');
  expect(stored.map((a) => a.note)).toEqual([note]);
  expect(stored[0].acknowledgedBy).toBeTruthy();
  expect(console.errors).toEqual([]);
});

test('a routing rule made on the Routing page test-sends, signed, to a local receiver; its dead letters are requeued from the page', async ({ page, request }) => {
  const console = watchConsole(page);
  const receiver = await startReceiver(200);
  try {
    const name = uniqueKey('e2e-rule');
    const secret = `e2e-secret-${name}`;
    await signIn(page);
    await page.goto('/alert-rules');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Job tags', { exact: true }).fill(name); // no job has this tag: only its test events reach it
    await page.getByLabel('Destination URL', { exact: true }).fill(receiver.url);
    await page.getByLabel(/Signing secret/).fill(secret);
    await page.getByRole('button', { name: 'Add rule' }).click();
    const row = page.locator(`[data-testid="rule-row"][data-rule="${name}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(`tag ${name}`);
    await expect(row).toContainText(`webhook: ${receiver.url} (signed)`);
    await expect(row).not.toContainText(secret);

    // Test-send: the receiver gets an alert.test event for this rule, signed with the secret.
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect(page.getByText('Test alert queued for 1 destination(s)')).toBeVisible();
    await expect.poll(() => receiver.got.length, { timeout: 60_000, message: 'the test event at the receiver' }).toBeGreaterThan(0);
    const got = receiver.got[0];
    const event = JSON.parse(got.body) as { type: string; routeId: number; eventId: string };
    expect(event.type).toBe('alert.test');
    const timestamp = String(got.headers['x-timekeeper-timestamp']);
    expect(got.headers['x-timekeeper-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${got.body}`).digest('hex')}`);
    await page.screenshot({ path: `${ARTIFACTS}/routing.png`, fullPage: true });

    // The receiver refuses for good (a 400 is not retried): the next test-send is dead-lettered, listed on the page, and requeued from it.
    receiver.answer(400);
    const before = receiver.got.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByTestId('show-dead-letters').click();
    const letters = page.getByTestId('dead-letters');
    const letter = letters.getByTestId('dead-letter-row');
    await expect(letter).toHaveCount(1, { timeout: 60_000 });
    await expect(letter).toContainText('HTTP 400');
    const deadEventId = await letter.getAttribute('data-event');
    expect(receiver.got.length).toBe(before + 1);

    receiver.answer(200);
    await letter.getByRole('button', { name: 'Requeue' }).click();
    await expect(page.getByText('Requeued 1 event(s)')).toBeVisible();
    await expect(letter).toHaveCount(0);
    await expect.poll(() => receiver.got.length, { timeout: 30_000, message: 'the requeued event at the receiver' }).toBe(before + 2);
    expect((JSON.parse(receiver.got[before + 1].body) as { eventId: string }).eventId).toBe(deadEventId);

    // Edit the rule: its match changes, its destination is kept as stored (the secret never comes back to
    // the browser), and a test-send is still signed with the original secret.
    await row.getByTestId('edit-rule').click();
    const edit = page.getByTestId('rule-edit');
    await expect(edit.getByText('Keep destination 1: webhook')).toBeVisible();
    await edit.getByLabel('Job tags', { exact: true }).fill(`${name}-b`);
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await expect(page.getByText('Rule saved')).toBeVisible();
    await expect(row).toContainText(`tag ${name}-b`);
    await expect(row).toContainText(`webhook: ${receiver.url} (signed)`);
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => receiver.got.length, { timeout: 60_000, message: 'the test event after the edit' }).toBe(before + 3);
    const again = receiver.got[before + 2];
    const at = String(again.headers['x-timekeeper-timestamp']);
    expect(again.headers['x-timekeeper-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${at}.${again.body}`).digest('hex')}`);

    const audit = await apiCall<Audit>(request, 'GET', '/v1/audit?limit=50');
    expect(audit.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['alert_route.create', 'alert_route.update', 'alert_route.test', 'alert_route.requeue']));
    expect(console.errors).toEqual([]);
  } finally {
    await receiver.close();
  }
});

test('a maintenance window made on the Maintenance page is listed, pauses its job, and ends from the page', async ({ page, request }) => {
  test.setTimeout(300_000); // two waits on the alerting service's describes of the shared Temporal
  const console = watchConsole(page);
  const job = uniqueKey('e2e-mw');
  await createJobViaApi(request, syntheticJob(job, job, { chunks: 1, chunkMs: 10 }));
  const name = `e2e window ${job}`;
  await signIn(page);
  await page.goto('/maintenance');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Reason', { exact: true }).fill('e2e: database upgrade');
  await page.getByLabel('Job keys (comma-separated)', { exact: true }).fill(job);
  await page.getByLabel('From', { exact: true }).fill(await localInput(page, Date.now() - 60_000));
  await page.getByLabel('To', { exact: true }).fill(await localInput(page, Date.now() + 3_600_000));
  await page.getByRole('button', { name: 'Add window' }).click();
  const row = page.getByTestId('window-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText(`job ${job}`);
  await expect(row).toContainText('pause schedules');

  // The alerting service applies it: the job's schedule is paused by `maintenance` (each step describes
  // the schedule in the shared Temporal, which a loaded machine can keep waiting for a while).
  await expect.poll(() => auditActions(request, job), { timeout: 120_000, message: 'the window pausing the job' }).toContain('job.window_pause by maintenance');
  await page.screenshot({ path: `${ARTIFACTS}/maintenance.png`, fullPage: true });

  // Edit it: the new reason is listed and stored.
  await row.getByTestId('edit-window').click();
  const edit = page.getByTestId('window-edit');
  await expect(edit.getByLabel('To', { exact: true })).not.toHaveValue('');
  await edit.getByLabel('Reason', { exact: true }).fill('e2e: database upgrade, second try');
  await edit.getByRole('button', { name: 'Save window' }).click();
  await expect(page.getByText('Window saved')).toBeVisible();
  await expect(row).toContainText('e2e: database upgrade, second try');

  await row.getByRole('button', { name: 'End now' }).click();
  await expect(row).toContainText('ended');
  await expect.poll(() => auditActions(request, job), { timeout: 120_000, message: 'the ended window resuming the job' }).toContain('job.window_resume by maintenance');
  const stored = (await apiCall<{ items: Window[] }>(request, 'GET', '/v1/maintenance-windows')).body.items.find((w) => w.name === name);
  expect(stored?.endedAt).toBeTruthy();
  expect(console.errors).toEqual([]);
});

test('"Pause until …" on the job list makes a one-job pause window that the list and the Maintenance page show', async ({ page, request }) => {
  const console = watchConsole(page);
  const job = uniqueKey('e2e-until');
  await createJobViaApi(request, syntheticJob(job, job, { chunks: 1, chunkMs: 10 }));
  await signIn(page);
  const row = page.getByTestId(`job-row-${job}`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('maintenance-badge')).toHaveCount(0);

  // A time in the past is refused at the field, and nothing is stored.
  await row.getByTestId('pause-until').click();
  await page.getByLabel(/^Until/).fill(await localInput(page, Date.now() - 3_600_000));
  await page.getByTestId('confirm-pause-until').click();
  await expect(page.getByTestId('error-pause-until-at')).toContainText('must be in the future');
  const until = Date.now() + 2 * 3_600_000;
  await page.getByLabel(/^Until/).fill(await localInput(page, until));
  await page.getByLabel('Reason (optional)', { exact: true }).fill('e2e: vendor outage');
  await page.getByTestId('confirm-pause-until').click();
  await expect(page.getByText(new RegExp(`Paused ${job} until`))).toBeVisible();
  await expect(row.getByTestId('maintenance-badge')).toContainText('Maintenance until');

  const windows = (await apiCall<{ items: Window[] }>(request, 'GET', '/v1/maintenance-windows')).body.items.filter((w) => w.jobs.includes(job));
  expect(windows).toHaveLength(1);
  expect(windows[0].mode).toBe('pause');
  // The minute the input holds, in UTC: the stored end is that minute.
  expect(Math.floor(Date.parse(windows[0].to!) / 60_000)).toBe(Math.floor(until / 60_000));
  await expect.poll(() => auditActions(request, job), { timeout: 120_000, message: 'the window pausing the job' }).toContain('job.window_pause by maintenance');

  await page.goto('/maintenance');
  await expect(page.getByTestId('window-row').filter({ hasText: windows[0].name })).toContainText('e2e: vendor outage');
  expect(console.errors).toEqual([]);
});

test('the policy editor sets a job policy, names a bad field at the field, and edits it', async ({ page, request }) => {
  const console = watchConsole(page);
  const job = uniqueKey('e2e-pol');
  await createJobViaApi(request, syntheticJob(job, job, { chunks: 1, chunkMs: 10 }));
  await signIn(page);
  await page.goto('/alert-policies');
  const form = page.getByTestId('policy-form');
  await form.getByLabel('Job key', { exact: true }).fill(job);
  await form.getByLabel(/^Failure threshold/).fill('0');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByTestId('error-policy-failureThreshold')).toBeVisible();
  await form.getByLabel(/^Failure threshold/).fill('3');
  await form.getByLabel(/^Realert interval/).fill('1h');
  await form.getByRole('button', { name: 'Save policy' }).click();
  const row = page.locator(`[data-testid="policy-row"][data-policy="job ${job}"]`);
  await expect(row).toContainText('failureThreshold 3');
  await expect(row).toContainText('realertInterval 1h');

  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(form.getByLabel(/^Failure threshold/)).toHaveValue('3');
  await form.getByLabel(/^Recovery threshold/).fill('2');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(row).toContainText('recoveryThreshold 2');
  const stored = (await apiCall<{ items: Array<{ scope: string; target: string; settings: Record<string, unknown> }> }>(request, 'GET', '/v1/alert-policies')).body.items.find((p) => p.target === job);
  expect(stored?.settings).toEqual({ failureThreshold: 3, recoveryThreshold: 2, realertInterval: '1h' });
  expect(console.errors).toEqual([]);
});

test('a viewer sees the alerting pages without a control that changes anything', async ({ page, request }) => {
  const job = uniqueKey('e2e-av');
  await createJobViaApi(request, syntheticJob(job, job, { chunks: 1, chunkMs: 10 }));
  const rule = await apiCall(request, 'POST', '/v1/alert-routes', { name: `viewer ${job}`, match: { jobs: [job] }, destinations: [{ type: 'webhook', url: 'http://127.0.0.1:9/none', secret: `viewer-secret-${job}` }] });
  expect(rule.status).toBe(201);
  const from = new Date(Date.now() + 3_600_000);
  const window = await apiCall(request, 'POST', '/v1/maintenance-windows', { name: `viewer ${job}`, reason: 'e2e', jobs: [job], from: from.toISOString(), to: new Date(from.getTime() + 60_000).toISOString() });
  expect(window.status).toBe(201);
  expect((await apiCall(request, 'PUT', `/v1/alert-policies/job/${job}`, { settings: { failureThreshold: 2 } })).status).toBe(200);
  const minted = await apiCall<{ key: string }>(request, 'POST', '/v1/keys', { name: `e2e viewer ${job}`, role: 'viewer' });
  await signIn(page, minted.body.key);

  await expect(page.getByTestId(`job-row-${job}`)).toBeVisible();
  await expect(page.getByTestId('pause-until')).toHaveCount(0);
  await page.goto('/alert-rules');
  const row = page.locator(`[data-testid="rule-row"][data-rule="viewer ${job}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByRole('button')).toHaveText(['Dead letters']);
  await expect(page.getByTestId('rule-new')).toHaveCount(0);
  await row.getByTestId('show-dead-letters').click();
  await expect(page.getByTestId('dead-letters')).toContainText('No dead letters');
  await page.goto('/maintenance');
  await expect(page.getByTestId('window-row').filter({ hasText: `viewer ${job}` })).toBeVisible();
  await expect(page.getByTestId('window-row').filter({ hasText: `viewer ${job}` }).getByRole('button')).toHaveCount(0);
  await expect(page.getByTestId('window-new')).toHaveCount(0);
  await page.goto('/alert-policies');
  await expect(page.locator(`[data-testid="policy-row"][data-policy="job ${job}"]`)).toContainText('failureThreshold 2');
  await expect(page.getByRole('button')).toHaveText(['Sign out']);
  await expect(page.getByTestId('policy-form')).toHaveCount(0);
});
