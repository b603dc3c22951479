import { JobDefinition } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('api_bad_input');
}, 60_000);
afterAll(async () => h?.close());

async function rejected(body: unknown) {
  const res = await h.call({ method: 'POST', url: '/v1/jobs', body });
  return { status: res.statusCode, body: res.json() as { error: string; message: string; details?: { field: string; message: string }[] } };
}

describe('bad input is a 400 naming the field, and writes nothing', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an invalid cron', { schedule: { cron: '61 * * * *', timezone: 'UTC' } }, 'schedule.cron', /minute|range|61/i],
    ['a cron with too few fields', { schedule: { cron: '* * *', timezone: 'UTC' } }, 'schedule.cron', /field/i],
    ['an unknown zone', { schedule: { cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' } }, 'schedule.timezone', /Mars\/Olympus_Mons/],
    ['params that do not fit the kind', { kind: 'vip-recalculation', params: { windowDays: 0 } }, 'params.windowDays', /1/],
    ['an unknown param', { kind: 'vip-recalculation', params: { windowDayz: 30 } }, 'params', /.+/],
    ['a jitter as long as the grace period', { schedule: { cron: '0 3 * * *', timezone: 'UTC', jitter: '2m' }, gracePeriod: '2m' }, 'schedule.jitter', /shorter than gracePeriod \(2m\)/],
    ['a catch-up window under 10s', { schedule: { cron: '0 3 * * *', timezone: 'UTC', catchupWindow: '5s' } }, 'schedule.catchupWindow', /10s/],
    ['an unknown field', { colour: 'blue' }, 'colour', /unknown field/],
    ['an unknown kind', { kind: 'bitcoin-mining' }, 'kind', /.+/],
    ['a malformed duration', { gracePeriod: 'two minutes' }, 'gracePeriod', /duration/],
    ['a bad key', { key: 'Not A Slug!' }, 'key', /pattern|match/i],
    ['an interval Temporal would truncate', { schedule: { interval: '1500ms', timezone: 'UTC' } }, 'schedule.interval', /whole number of seconds/],
    ['both cron and interval', { schedule: { cron: '0 3 * * *', interval: '5m', timezone: 'UTC' } }, 'schedule.cron', /exactly one/],
    ['a heartbeat longer than the attempt', { timeouts: { run: '1h', startToClose: '1m', heartbeat: '5m' } }, 'timeouts.heartbeat', /shorter/],
    // Issue 9 #6: 3 attempts of 1 h plus backoff cannot fit a 2 h run (the old defaults).
    [
      'attempts that cannot fit the run timeout',
      { retry: { maxAttempts: 3 }, timeouts: { run: '2h', startToClose: '1h', heartbeat: '30s' } },
      'timeouts.run',
      /retry\.maxAttempts \(3\) × timeouts\.startToClose \(1h\) plus the retry backoff: at least 10830s/,
    ],
    ['backoff alone that overflows the run', { retry: { maxAttempts: 10, initialInterval: '1m', maxInterval: '1m' }, timeouts: { run: '10m', startToClose: '30s', heartbeat: '10s' } }, 'timeouts.run', /retry backoff/],
  ];

  it.each(cases)('%s', async (_name, override, field, message) => {
    const key = `bad-${Math.random().toString(36).slice(2, 10)}`;
    const body = { ...jobBody(key), ...override };
    const res = await rejected(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/validation_failed|invalid_request/);
    const detail = res.body.details?.find((d) => d.field === field || d.field.startsWith(`${field}.`));
    expect(detail, JSON.stringify(res.body)).toBeDefined();
    expect(detail!.message).toMatch(message);
    expect(await h.orm.em.fork().count(JobDefinition, {})).toBe(0);
  });

  it('the default retry and timeouts fit together (a definition naming neither is accepted)', async () => {
    const body = jobBody('defaults-fit') as Record<string, unknown>;
    delete body.retry;
    delete body.timeouts;
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(res.json().timeouts).toMatchObject({ run: '2h', startToClose: '30m' });
    await h.call({ method: 'DELETE', url: '/v1/jobs/defaults-fit' });
  });

  it('a body over the size limit is refused with a JSON error', async () => {
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: { ...jobBody('too-big'), description: 'x'.repeat(300 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: '{"key": ',
      headers: { authorization: `Bearer ${h.keys.admin}`, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBeDefined();
  });

  it('preview rejects a bad cron with the field, and previews a good one', async () => {
    const bad = await h.call({ method: 'POST', url: '/v1/schedules/preview', body: { cron: '0 25 * * *', timezone: 'UTC' }, key: h.keys.operator });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('cron');
    const good = await h.call({ method: 'POST', url: '/v1/schedules/preview', body: { cron: '0 3 * * *', timezone: 'Asia/Shanghai', count: 3, from: '2026-01-01T00:00:00Z' }, key: h.keys.operator });
    expect(good.statusCode).toBe(200);
    expect(good.json().items.map((t: { utc: string }) => t.utc)).toEqual([
      '2026-01-01T19:00:00.000Z',
      '2026-01-02T19:00:00.000Z',
      '2026-01-03T19:00:00.000Z',
    ]);
  });

  it('an unknown job is a 404 with a JSON body', async () => {
    const res = await h.call({ method: 'GET', url: '/v1/jobs/no-such-job' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'Job "no-such-job" does not exist' });
  });
});
