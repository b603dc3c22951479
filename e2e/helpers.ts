import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const WEB_URL = process.env.WEB_URL ?? 'http://127.0.0.1:3000';
export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:4000';
export const ADMIN_API_KEY = process.env.ADMIN_API_KEY ?? '';
export const ARTIFACTS = `${__dirname}/artifacts`;

export const uniqueKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/** Calls the API directly (set-up and checks the console must not be needed for). */
export async function apiCall<T = unknown>(request: APIRequestContext, method: string, path: string, body?: unknown, key = ADMIN_API_KEY): Promise<{ status: number; body: T }> {
  const res = await request.fetch(`${API_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status(), body: (text ? JSON.parse(text) : undefined) as T };
}

export async function signIn(page: Page, key = ADMIN_API_KEY): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/jobs');
}

/**
 * Collects what the page logs as errors. Failed resource loads are kept apart: while parts of the API
 * are still being built (alerts, events) the browser logs their 404s, which is not a console bug.
 */
export function watchConsole(page: Page): { errors: string[]; failedLoads: string[] } {
  const out = { errors: [] as string[], failedLoads: [] as string[] };
  page.on('pageerror', (e) => out.errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().startsWith('Failed to load resource') || m.text().includes('EventSource')) out.failedLoads.push(m.text());
    else out.errors.push(m.text());
  });
  return out;
}

/**
 * Waits until the job's schedule is in Temporal (`syncStatus: synced`). On a loaded machine a create can
 * answer 202 pending and leave the push to the API's reconciler; until then trigger, backfill and Retry
 * answer 409 sync_pending, so a spec that runs the job waits for this first.
 */
export async function waitUntilSynced(request: APIRequestContext, key: string): Promise<void> {
  await expect
    .poll(async () => (await apiCall<{ syncStatus: string }>(request, 'GET', `/v1/jobs/${encodeURIComponent(key)}`)).body.syncStatus, {
      message: `job ${key} to be synced to Temporal`,
      timeout: 90_000,
    })
    .toBe('synced');
}

/** Creates a job through the API and waits until its schedule is in Temporal, so it can be run at once. */
export async function createJobViaApi(request: APIRequestContext, body: Record<string, unknown>): Promise<void> {
  const res = await apiCall(request, 'POST', '/v1/jobs', body);
  expect([201, 202], JSON.stringify(res.body)).toContain(res.status);
  await waitUntilSynced(request, String(body.key));
}

/** A synthetic job that only runs when asked (its cron fires once a year). */
export function syntheticJob(key: string, tag: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    key,
    name: `E2E ${key}`,
    kind: 'synthetic',
    params,
    schedule: { cron: '0 0 1 1 *', timezone: 'UTC', overlapPolicy: 'allow_all', catchupWindow: '1m' },
    retry: { maxAttempts: 1 },
    timeouts: { run: '5m', startToClose: '2m', heartbeat: '20s' },
    tags: [tag],
    ...extra,
  };
}
