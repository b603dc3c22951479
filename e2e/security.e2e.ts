import { expect, test } from '@playwright/test';
import { ADMIN_API_KEY, apiCall, signIn, WEB_URL, watchConsole } from './helpers';

// Issue 11 where a browser is what matters: the cookie script cannot read, the CSP the pages run
// under, a frame that stays empty, a cross-site form, and a sign-out that reaches another tab.

test.beforeAll(() => {
  if (!ADMIN_API_KEY) throw new Error('Set ADMIN_API_KEY (and WEB_URL, API_URL) to run the console specs');
});

test('the session cookie is HttpOnly and SameSite=Strict; the page never sees the key; the CSP blocks nothing of ours', async ({ page, context }) => {
  const console = watchConsole(page);
  await signIn(page);
  await expect(page.getByTestId('whoami')).toBeVisible();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith('tk_session'));
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(session!.value).toMatch(/^tks_/);
  expect(cookies.some((c) => c.value.includes(ADMIN_API_KEY))).toBe(false);
  expect(await page.evaluate(() => document.cookie)).not.toContain('tk_session');
  expect(await page.content()).not.toContain(ADMIN_API_KEY);
  // The pages hydrate and run under a nonce CSP without 'unsafe-inline': nothing of ours is refused.
  await page.goto('/timeline');
  await expect(page.locator('.live-dot')).toHaveAttribute('data-state', 'live');
  expect(console.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  expect(console.errors).toEqual([]);
});

test('injected markup cannot run script: an inline event handler is refused by the CSP', async ({ page }) => {
  await signIn(page);
  const ran = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        // What an HTML injection would add: an inline handler (no nonce can cover it).
        document.body.insertAdjacentHTML('beforeend', '<img id="xss" src="/no-such-image.png" onerror="window.__injected = true">');
        const img = document.getElementById('xss')!;
        // Listeners run in order: ours, added after the inline one, sees whether it ran.
        img.addEventListener('error', () => resolve((window as unknown as { __injected?: boolean }).__injected === true));
      }),
  );
  expect(ran).toBe(false);
});

test('another page cannot frame the console', async ({ page }) => {
  await page.goto('about:blank');
  await page.setContent(`<iframe id="f" src="${WEB_URL}/login" width="600" height="400"></iframe>`);
  // Blocked by frame-ancestors 'none' (and X-Frame-Options: DENY): Chromium shows its error page instead.
  await expect.poll(() => page.frames().find((f) => f !== page.mainFrame())?.url() ?? '', { timeout: 10_000 }).toMatch(/^chrome-error:/);
});

test('a cross-site form (text/plain carrying JSON) cannot sign the visitor in', async ({ page, context }) => {
  const viewer = await apiCall<{ key: string }>(page.request, 'POST', '/v1/keys', { name: 'e2e attacker key', role: 'viewer' });
  await page.goto('about:blank');
  // A page of another origin (about:blank sends Origin: null) posting the attacker's key as the JSON the login route reads.
  await page.setContent(`
    <form id="f" method="POST" action="${WEB_URL}/auth/login" enctype="text/plain">
      <input name='{"key":"${viewer.body.key}","x":"' value='"}'>
    </form>`);
  const [response] = await Promise.all([page.waitForResponse(`${WEB_URL}/auth/login`), page.locator('#f').evaluate((f: HTMLFormElement) => f.submit())]);
  expect(response.status()).toBe(403);
  expect((await context.cookies()).some((c) => c.name.endsWith('tk_session'))).toBe(false);
});

test('signing out in one tab ends the live stream of another, which goes back to sign-in', async ({ context }) => {
  const watcher = await context.newPage();
  await signIn(watcher);
  await watcher.goto('/timeline');
  await expect(watcher.locator('.live-dot')).toHaveAttribute('data-state', 'live');
  const other = await context.newPage();
  await other.goto('/jobs');
  await other.getByRole('button', { name: 'Sign out' }).click();
  // (This tab's own stream ends too, so it may land on /login?expired=1 first.)
  await other.waitForURL(/\/login/);
  // The API ends the session's stream at once; the tab's console takes it as "signed out".
  await watcher.waitForURL('**/login?expired=1', { timeout: 15_000 });
});
