import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWindowsFile } from '../services/config-windows';
import { MaintenanceWindows } from '../services/maintenance-windows';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Maintenance windows through the API (issue 14 #3): every bad input a 400 naming the field with nothing
// written; create, edit, end and delete by operators, each audited; "pause until …"; config as code.
let h: Harness;
const JOB = 'mw-api-job';

beforeAll(async () => {
  h = await startHarness('maintenance_windows');
  expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(JOB, { tags: ['db'] }) })).statusCode).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

const list = async () => (await h.call({ method: 'GET', url: '/v1/maintenance-windows', key: h.keys.viewer })).json().items as Array<Record<string, unknown>>;
const oneOff = { name: 'upgrade', reason: 'db upgrade', jobs: [JOB], from: '2030-01-01T10:00:00Z', to: '2030-01-01T12:00:00Z' };

describe('maintenance windows API', () => {
  it('refuses bad windows with a 400 naming the field, writing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...oneOff, name: '' }, 'name'],
      [{ ...oneOff, reason: undefined }, 'reason'],
      [{ ...oneOff, jobs: [] }, 'jobs'],
      [{ ...oneOff, jobs: ['no-such-job'] }, 'jobs.0'],
      [{ ...oneOff, jobs: ['Bad Key'] }, 'jobs.0'],
      [{ ...oneOff, to: '2029-01-01T00:00:00Z' }, 'to'],
      [{ ...oneOff, to: undefined }, 'to'],
      [{ ...oneOff, from: 'tomorrow' }, 'from'],
      [{ ...oneOff, mode: 'silence' }, 'mode'],
      [{ ...oneOff, cron: '0 2 * * *', duration: '1h', timezone: 'UTC' }, 'cron'],
      [{ name: 'r', reason: 'r', tags: ['db'], cron: '0 2 * * *', duration: '1h' }, 'timezone'],
      [{ name: 'r', reason: 'r', tags: ['db'], cron: '0 25 * * *', duration: '1h', timezone: 'UTC' }, 'cron'],
      [{ name: 'r', reason: 'r', tags: ['db'], cron: '0 2 * * *', duration: '1h', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: 'r', reason: 'r', tags: ['db'], cron: '0 2 * * *', duration: '30d', timezone: 'UTC' }, 'duration'],
      [{ name: 'r', reason: 'r', tags: ['db'], cron: '0 2 * * *', duration: 'long', timezone: 'UTC' }, 'duration'],
      [{ name: 'r', reason: 'r', tags: ['db'] }, 'from'],
      [{ ...oneOff, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call({ method: 'POST', url: '/v1/maintenance-windows', key: h.keys.operator, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect(await list()).toEqual([]);
    expect((await h.call({ method: 'POST', url: '/v1/maintenance-windows', key: h.keys.viewer, body: oneOff })).statusCode).toBe(403);
  });

  it('operators create, edit, end and delete windows, each change audited', async () => {
    const created = await h.call({ method: 'POST', url: '/v1/maintenance-windows', key: h.keys.operator, body: oneOff });
    expect(created.statusCode).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({ name: 'upgrade', mode: 'pause', jobs: [JOB], tags: [], from: '2030-01-01T10:00:00.000Z', cron: null, endedAt: null, managedBy: 'console' });
    expect((await h.call({ method: 'POST', url: '/v1/maintenance-windows', key: h.keys.operator, body: oneOff })).statusCode).toBe(409);

    // Turned into a recurring suppress window over a tag (the one-off timing goes).
    const edited = await h.call({
      method: 'PATCH',
      url: `/v1/maintenance-windows/${w.id}`,
      key: h.keys.operator,
      body: { mode: 'suppress', tags: ['db'], jobs: [], cron: '30 2 * * 0', duration: '2h', timezone: 'Europe/London' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ mode: 'suppress', tags: ['db'], jobs: [], from: null, to: null, cron: '30 2 * * 0', duration: '2h', timezone: 'Europe/London' });
    const badEdit = await h.call({ method: 'PATCH', url: `/v1/maintenance-windows/${w.id}`, key: h.keys.operator, body: { duration: '0s' } });
    expect(badEdit.statusCode).toBe(400);
    expect(badEdit.json().details.map((d: { field: string }) => d.field)).toEqual(['duration']);
    const longer = await h.call({ method: 'PATCH', url: `/v1/maintenance-windows/${w.id}`, key: h.keys.operator, body: { duration: '3h' } });
    expect(longer.json()).toMatchObject({ cron: '30 2 * * 0', duration: '3h', timezone: 'Europe/London' });
    expect((await h.call({ method: 'GET', url: `/v1/maintenance-windows/${w.id}` })).json().duration).toBe('3h');

    const ended = await h.call({ method: 'POST', url: `/v1/maintenance-windows/${w.id}/end`, key: h.keys.operator, body: { note: 'done early' } });
    expect(ended.json().endedAt).not.toBeNull();
    expect((await h.call({ method: 'DELETE', url: `/v1/maintenance-windows/${w.id}`, key: h.keys.operator })).statusCode).toBe(204);
    expect((await h.call({ method: 'GET', url: `/v1/maintenance-windows/${w.id}` })).statusCode).toBe(404);
    const audit = (await h.call({ method: 'GET', url: '/v1/audit' })).json().items.filter((e: { action: string }) => e.action.startsWith('window.'));
    expect(audit.map((e: { action: string }) => e.action).reverse()).toEqual(['window.create', 'window.update', 'window.update', 'window.end', 'window.delete']);
    expect(audit.find((e: { action: string }) => e.action === 'window.end').note).toBe('done early');
  });

  it('"pause until …" makes a one-off pause window of the job from now', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.call({ method: 'POST', url: `/v1/jobs/${JOB}/pause-until`, key: h.keys.operator, body: { until, reason: 'vendor maintenance' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ jobs: [JOB], mode: 'pause', to: until, reason: 'vendor maintenance' });
    expect(Date.parse(res.json().from)).toBeLessThanOrEqual(Date.now());
    const past = await h.call({ method: 'POST', url: `/v1/jobs/${JOB}/pause-until`, key: h.keys.operator, body: { until: '2020-01-01T00:00:00Z' } });
    expect(past.statusCode).toBe(400);
    expect(past.json().details[0].field).toBe('until');
    expect((await h.call({ method: 'POST', url: '/v1/jobs/no-such-job/pause-until', key: h.keys.operator, body: { until } })).statusCode).toBe(404);
    await h.call({ method: 'DELETE', url: `/v1/maintenance-windows/${res.json().id}`, key: h.keys.operator });
  });

  it('config as code: the file’s windows are created, updated and removed; the API may not edit them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-windows-'));
    const file = join(dir, 'jobs.yaml');
    const windows = new MaintenanceWindows(h.orm);
    await writeFile(file, `jobs: []\nmaintenanceWindows:\n  - { name: sunday-backup, reason: backups, tags: [db], cron: "0 3 * * 0", duration: 1h, timezone: UTC, mode: suppress }\n`);
    expect(await syncWindowsFile(windows, file)).toMatchObject({ created: ['sunday-backup'] });
    expect(await syncWindowsFile(windows, file)).toMatchObject({ created: [], unchanged: ['sunday-backup'] });
    const [w] = (await list()).filter((x) => x.name === 'sunday-backup');
    expect(w).toMatchObject({ managedBy: 'config', createdBy: 'config', cron: '0 3 * * 0' });
    expect((await h.call({ method: 'PATCH', url: `/v1/maintenance-windows/${w.id}`, key: h.keys.operator, body: { reason: 'x' } })).statusCode).toBe(409);

    await writeFile(file, `jobs: []\nmaintenanceWindows:\n  - { name: sunday-backup, reason: backups, tags: [db], cron: "0 4 * * 0", duration: 1h, timezone: UTC, mode: suppress }\n`);
    expect(await syncWindowsFile(windows, file)).toMatchObject({ updated: ['sunday-backup'] });
    await writeFile(file, `jobs: []\nmaintenanceWindows:\n  - { name: bad, reason: r, tags: [db], cron: "0 4 * * 0", duration: 1h, timezone: Nowhere/Land }\n`);
    await expect(syncWindowsFile(windows, file)).rejects.toThrow(/timezone/);
    await writeFile(file, 'jobs: []\n');
    expect(await syncWindowsFile(windows, file)).toMatchObject({ deleted: ['sunday-backup'] });
    expect(await list()).toEqual([]);
  });
});
