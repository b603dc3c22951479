import { defineConfig } from '@playwright/test';

/**
 * Browser specs against a running stack (api, worker, alerting, web). Expects:
 *   WEB_URL        the console, e.g. http://127.0.0.1:3300
 *   API_URL        the API, e.g. http://127.0.0.1:4300 (specs set up data and check state through it)
 *   ADMIN_API_KEY  a key with the admin role (the specs mint a viewer key with it)
 * Optional: CHROMIUM_PATH (default /usr/bin/chromium). Screenshots go to e2e/artifacts/.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.WEB_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 1280, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
