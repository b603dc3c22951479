import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Alert policies and duration baselines through the API (issue 14 #1 #2): validation names the field,
// writes are admin-only and audited, a job's baseline is its effective policy over its ledger rows.
let h: Harness;

beforeAll(async () => {
  h = await startHarness('alert_policies');
}, 60_000);
afterAll(async () => h?.close());

let nextSlot = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
/** Succeeded ledger rows of `durations` ms each, one a minute, from an hour ago on. */
async function succeeded(jobKey: string, durations: number[]): Promise<void> {
  for (const ms of durations) {
    const slot = new Date((nextSlot += 60_000));
    await h.orm.em
      .fork()
      .execute(
        "insert into job_slots (job_key, nominal_time, kind, status, attempt, runs, started_at, finished_at, revision, report_pending, created_at, updated_at) values (?, ?, 'synthetic', 'succeeded', 1, 1, ?, ?, 1, 0, ?, ?)",
        [jobKey, slot, slot, new Date(slot.getTime() + ms), slot, slot],
      );
  }
}

describe('alert policies', () => {
  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/v1/alert-policies/global', { settings: { failureThreshold: 0 } }, 'settings.failureThreshold'],
      ['PUT', '/v1/alert-policies/global', { settings: { realertInterval: 'soon' } }, 'settings.realertInterval'],
      ['PUT', '/v1/alert-policies/global', { settings: { severity: { failed: 'loud' } } }, 'settings.severity.failed'],
      ['PUT', '/v1/alert-policies/global', { settings: { severity: { exploded: 'info' } } }, 'settings.severity.exploded'],
      ['PUT', '/v1/alert-policies/global', { settings: { tooFastFraction: 2 } }, 'settings.tooFastFraction'],
      ['PUT', '/v1/alert-policies/global', { settings: { loud: true } }, 'settings.loud'],
      ['PUT', '/v1/alert-policies/global', {}, 'settings'],
      ['PUT', '/v1/alert-policies/team/x', { settings: {} }, 'scope'],
      ['PUT', '/v1/alert-policies/job/Not_A_Key', { settings: {} }, 'target'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await h.call({ method, url, body });
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const missing = await h.call({ method: 'PUT', url: '/v1/alert-policies/job/no-such-job', body: { settings: {} } });
    expect(missing.statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: '/v1/alert-policies' })).json().items).toEqual([]);
  });

  it('admin sets global, tag and job policies (audited); operators may not; the job’s effective policy layers them', async () => {
    const key = 'policy-layers';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { tags: ['finance', 'nightly'] }) })).statusCode).toBe(201);
    const asOperator = await h.call({ method: 'PUT', url: '/v1/alert-policies/global', key: h.keys.operator, body: { settings: { failureThreshold: 2 } } });
    expect(asOperator.statusCode).toBe(403);

    const global = await h.call({ method: 'PUT', url: '/v1/alert-policies/global', body: { settings: { failureThreshold: 2, recoveryThreshold: 3, realertInterval: '30m' }, note: 'quieter' } });
    expect(global.statusCode).toBe(200);
    expect(global.json()).toMatchObject({ scope: 'global', target: '', settings: { failureThreshold: 2 } });
    await h.call({ method: 'PUT', url: '/v1/alert-policies/tag/nightly', body: { settings: { failureThreshold: 4, severity: { missed: 'warning' } } } });
    await h.call({ method: 'PUT', url: '/v1/alert-policies/tag/finance', body: { settings: { failureThreshold: 3 } } });
    await h.call({ method: 'PUT', url: `/v1/alert-policies/job/${key}`, body: { settings: { realertInterval: null } } });

    const b = await h.call({ method: 'GET', url: `/v1/jobs/${key}/baseline`, key: h.keys.viewer });
    expect(b.statusCode).toBe(200);
    // job (realert off) > tags alphabetically (finance's 3 before nightly's 4) > global (recovery 3).
    expect(b.json().policy).toMatchObject({ failureThreshold: 3, recoveryThreshold: 3, realertIntervalMs: null, severity: { missed: 'warning' } });

    const audit = (await h.call({ method: 'GET', url: '/v1/audit' })).json().items.filter((e: { action: string }) => e.action.startsWith('alert_policy.'));
    expect(audit).toHaveLength(4);
    expect(audit.at(-1)).toMatchObject({ action: 'alert_policy.put', before: null, note: 'quieter' });

    expect((await h.call({ method: 'DELETE', url: '/v1/alert-policies/tag/finance' })).statusCode).toBe(204);
    expect((await h.call({ method: 'DELETE', url: '/v1/alert-policies/tag/finance' })).statusCode).toBe(404);
    expect((await h.call({ method: 'GET', url: `/v1/jobs/${key}/baseline` })).json().policy.failureThreshold).toBe(4);
    for (const url of ['/v1/alert-policies/global', '/v1/alert-policies/tag/nightly', `/v1/alert-policies/job/${key}`]) await h.call({ method: 'DELETE', url });
  });
});

describe('GET /v1/jobs/:key/baseline', () => {
  it('says there is no baseline until enough succeeded runs exist, then gives p50/p95 and the limits they imply', async () => {
    const key = 'baseline-job';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { expectedMaxDuration: '3s' }) })).statusCode).toBe(201);
    await h.call({ method: 'PUT', url: `/v1/alert-policies/job/${key}`, body: { settings: { baselineMinRuns: 5, longRunningFactor: 3 } } });
    await succeeded(key, [1_000, 1_200, 1_100, 900]);
    const early = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/baseline` })).json();
    expect(early).toMatchObject({ baseline: null, minRuns: 5, pending: '4 of 5 succeeded runs needed for a baseline' });
    expect(early.samples.map((s: { durationMs: number }) => s.durationMs)).toEqual([1_000, 1_200, 1_100, 900]);

    await succeeded(key, [2_000]);
    const ready = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/baseline` })).json();
    // Sorted 900, 1000, 1100, 1200, 2000: nearest-rank p50 = 1100, p95 = 2000; long_running past max(3 s, 3 × 2 s).
    expect(ready.baseline).toEqual({ p50Ms: 1_100, p95Ms: 2_000, runs: 5, longRunningAfterMs: 6_000, tooFastUnderMs: 110 });
    expect(ready.pending).toBeNull();
    expect((await h.call({ method: 'GET', url: '/v1/jobs/no-such-job/baseline' })).statusCode).toBe(404);
  });
});
