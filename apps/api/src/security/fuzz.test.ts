import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// More than 500 malformed requests over real HTTP (paths exactly as sent: dot segments, encoded slashes):
// each must be a 4xx with a JSON body that names the problem, and none may write anything.
let h: Harness;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const TARGET = 'fuzz-target-job';

beforeAll(async () => {
  h = await startHarness('security_fuzz', { TIMEKEEPER_INSTANCE: `sec-fuzz-${randomUUID().slice(0, 8)}`, TEMPORAL_CALL_TIMEOUT_MS: '10000' });
  expect([201, 202]).toContain((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(TARGET) })).statusCode);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await h?.call({ method: 'DELETE', url: `/v1/jobs/${TARGET}` });
  await h?.close();
});

type Case = { name: string; method: string; path: string; body?: string | Buffer; contentType?: string | null; headers?: Record<string, string> };
type Answer = { status: number; type: string; body: string };

function send(c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${h.keys.admin}`, ...c.headers };
    if (c.body !== undefined) {
      if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(c.body);
    }
    const req = request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    if (c.body !== undefined) req.write(c.body);
    req.end();
  });
}

// ---- the cases -------------------------------------------------------------------------------------

const HOSTILE = [
  '<script>alert(1)</script>',
  "'; drop table job_definitions; --",
  '../../etc/passwd',
  '..%2f..%2fmetrics',
  '\u0000',
  'a\u0000b',
  '\u202egnp.exe',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '\r\nSet-Cookie: pwn=1',
  '%00',
  '%',
  '\\..\\..\\',
  '😀'.repeat(50),
  ' ',
  'NaN',
];
const BAD_JSON = ['{', '{"key": ', '[1, 2', 'nul', '"', '{"a":1,}', "{'a': 1}", '\uFEFF{}garbage', '{"a": 01}', '{"a": NaN}', '{"a": undefined}', '[]]', '{}{}', '\u0000', 'x'.repeat(10_000)];
const NOT_JSON_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-7'];
const WRONG_TYPES: unknown[] = [null, 1, -1, 1.5, 1e308, true, 'x', '', [], [1], {}, { a: 1 }];

const valid = (key: string) => jobBody(key);
const set = (obj: Record<string, unknown>, path: string, value: unknown) => {
  const out = structuredClone(obj) as Record<string, unknown>;
  const parts = path.split('.');
  let at = out as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
  at[parts[parts.length - 1]] = value;
  return out;
};
const json = (name: string, method: string, path: string, body: unknown, headers?: Record<string, string>): Case => ({ name, method, path, body: JSON.stringify(body), headers });

/** Job bodies each wrong in one place (every value here breaks its field's schema or a rule). */
function badJobBodies(): Case[] {
  const wrong: Record<string, unknown[]> = {
    // Numbers and booleans are coerced to strings ("true" would even be a fine key): not listed here.
    key: [null, [], [1], {}, '', 'A', 'Not A Slug', 'a'.repeat(65), '-x-', ...HOSTILE],
    name: [null, [], {}, '', 'n'.repeat(201)],
    description: [[], {}, 'd'.repeat(2001)],
    kind: [null, 1, 'bitcoin-mining', ...HOSTILE.slice(0, 6)],
    params: ['x', 1, [], null, { windowDays: 0 }],
    'schedule.cron': [1, [], '', '61 * * * *', '* * *', 'c'.repeat(121), ...HOSTILE.slice(0, 8)],
    'schedule.timezone': [1, '', 'Mars/Olympus', 'z'.repeat(65), ...HOSTILE.slice(0, 8)],
    'schedule.jitter': [1, 'soon', '-5s', '5 s', ...HOSTILE.slice(0, 4)],
    'schedule.overlapPolicy': ['sometimes', 1, null],
    'schedule.catchupWindow': ['5s', 'x', 2],
    schedule: [null, 'x', [], {}, { cron: '0 3 * * *', interval: '5m', timezone: 'UTC' }, { interval: '1500ms', timezone: 'UTC' }],
    'retry.maxAttempts': [0, -1, 101, 1.5, 'x', null],
    'retry.backoffCoefficient': ['x', null, []],
    // A lone string would be coerced to a one-item array: not listed.
    'retry.nonRetryableErrorTypes': [{}, [''], Array.from({ length: 21 }, (_, i) => `E${i}`), ['e'.repeat(101)]],
    'timeouts.run': ['forever', 1, null],
    'timeouts.heartbeat': ['5h', 'x'],
    'lock.required': ['yes', 'maybe', []],
    'lock.ttl': ['x'],
    expectedMaxDuration: ['long', 5],
    gracePeriod: ['two minutes', -1],
    tags: [{}, [''], ['t'.repeat(41)], Array.from({ length: 21 }, (_, i) => `t${i}`)],
    owner: [[], {}, 'o'.repeat(101)],
    colour: ['blue'],
    ['__proto__']: [{ admin: true }],
    constructor: [{ prototype: {} }],
  };
  const cases: Case[] = [];
  let n = 0;
  for (const [field, values] of Object.entries(wrong)) {
    for (const value of values) {
      const key = `fuzz-new-${n++}`;
      // __proto__ set through JSON text: an own property of the body, which must be refused as unknown.
      const body = field === '__proto__' ? `{"__proto__":${JSON.stringify(value)},${JSON.stringify(valid(key)).slice(1)}` : JSON.stringify(set(valid(key), field, value));
      cases.push({ name: `POST /v1/jobs with ${field} = ${JSON.stringify(value)?.slice(0, 40)}`, method: 'POST', path: '/v1/jobs', body });
      // The same wrong field as an edit of an existing job (a real If-Match: only the body is wrong).
      // (An empty schedule is a valid edit: nothing changes.)
      if (!['key', 'colour', '__proto__', 'constructor'].includes(field) && JSON.stringify(value) !== '{}') {
        const patch = set({}, field, value);
        cases.push({ ...json(`PATCH ${field} = ${JSON.stringify(value)?.slice(0, 40)}`, 'PATCH', `/v1/jobs/${TARGET}`, patch), headers: { 'if-match': '1' } });
      }
    }
  }
  return cases;
}

/** Broken JSON and non-JSON bodies on every route that takes a body. */
function brokenBodies(): Case[] {
  const routes: Array<[string, string, Record<string, string>?]> = [
    ['POST', '/v1/jobs'],
    ['PATCH', `/v1/jobs/${TARGET}`, { 'if-match': '1' }],
    ['POST', `/v1/jobs/${TARGET}/pause`],
    ['POST', `/v1/jobs/${TARGET}/backfill`],
    ['POST', '/v1/schedules/preview'],
    ['POST', '/v1/keys'],
    ['POST', '/v1/alerts/1/ack'],
  ];
  const cases: Case[] = [];
  for (const [method, path, headers] of routes) {
    for (const body of BAD_JSON) cases.push({ name: `${method} ${path} with ${JSON.stringify(body.slice(0, 20))}`, method, path, body, headers });
    for (const contentType of NOT_JSON_TYPES) cases.push({ name: `${method} ${path} as ${contentType}`, method, path, body: 'key=x&role=admin', contentType, headers });
    cases.push({ name: `${method} ${path} over 256 KiB`, method, path, body: JSON.stringify({ note: 'x'.repeat(300 * 1024) }), headers });
    cases.push({ name: `${method} ${path} with wrong types`, method, path, body: JSON.stringify([1, 2, 3]), headers });
  }
  return cases;
}

/** Bodies of the smaller routes, each wrong. Action routes point at a job that does not exist. */
function badActionBodies(): Case[] {
  const cases: Case[] = [];
  const NONE = 'no-such-job';
  const note = (v: unknown) => ({ note: v });
  for (const v of [1, [], {}, 'n'.repeat(501)]) cases.push(json(`pause note ${JSON.stringify(v).slice(0, 20)}`, 'POST', `/v1/jobs/${NONE}/pause`, note(v)));
  for (const v of WRONG_TYPES) cases.push(json(`trigger overlap ${JSON.stringify(v)}`, 'POST', `/v1/jobs/${NONE}/trigger`, { overlap: v }));
  for (const body of [{}, { from: 'x', to: 'y' }, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, { from: 1, to: 2 }, { from: '2026-01-01T00:00:00Z' }, { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', extra: 1 }]) {
    cases.push(json(`backfill ${JSON.stringify(body).slice(0, 40)}`, 'POST', `/v1/jobs/${NONE}/backfill`, body));
  }
  for (const body of [{}, { cron: 1, timezone: 'UTC' }, { cron: '0 3 * * *', timezone: 'Mars/X' }, { cron: '0 3 * * *', timezone: 'UTC', count: 0 }, { cron: '0 3 * * *', timezone: 'UTC', count: 1e6 }, { cron: '0 3 * * *', timezone: 'UTC', from: 'yesterday' }, { interval: '1500ms', timezone: 'UTC' }, ...HOSTILE.map((s) => ({ cron: s, timezone: 'UTC' }))]) {
    cases.push(json(`preview ${JSON.stringify(body).slice(0, 40)}`, 'POST', '/v1/schedules/preview', body));
  }
  for (const body of [{}, { name: 'n' }, { role: 'admin' }, { name: 'n', role: 'root' }, { name: '', role: 'viewer' }, { name: 'n'.repeat(101), role: 'viewer' }, ...HOSTILE.filter((s) => !/^[A-Za-z0-9 ._-]{1,100}$/.test(s)).map((s) => ({ name: s, role: 'viewer' })), { name: 'n', role: 'viewer', extra: true }]) {
    cases.push(json(`key ${JSON.stringify(body).slice(0, 40)}`, 'POST', '/v1/keys', body));
  }
  for (const body of [note(1), note([]), { note: 'n'.repeat(501) }, { extra: 1 }]) cases.push(json(`ack ${JSON.stringify(body).slice(0, 30)}`, 'POST', '/v1/alerts/1/ack', body));
  // (`"1"`, the quoted ETag form, is a valid If-Match.)
  for (const v of [undefined, 'x', '0', '1.5', '-1', '1e3', '*', '1, 2', 'W/"x"']) {
    cases.push({ name: `PATCH with If-Match ${v}`, method: 'PATCH', path: `/v1/jobs/${TARGET}`, body: JSON.stringify({ name: 'Renamed' }), headers: v === undefined ? {} : { 'if-match': v } });
  }
  return cases;
}

/** Paths with dot segments, encoded slashes, bad escapes and hostile segments, on reads and writes. */
function badPaths(): Case[] {
  const segments = [
    '..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e', '..%2f..%2fmetrics', '%2fmetrics', '%2F', '%5c', '..%5c', '%', '%zz', '%E0%A4', '%FF', '%00', 'a%00b',
    '%3Cscript%3E', 'x'.repeat(5000), 'UPPER', 'under_score', 'a..b', '-', '%20', '%0d%0aSet-Cookie:%20pwn=1', encodeURIComponent("'; drop table x; --"),
  ];
  const cases: Case[] = [];
  for (const s of segments) {
    cases.push({ name: `GET /v1/jobs/${s.slice(0, 30)}`, method: 'GET', path: `/v1/jobs/${s}` });
    cases.push({ name: `GET /v1/jobs/${s.slice(0, 30)}/runs`, method: 'GET', path: `/v1/jobs/${s}/runs` });
    cases.push({ name: `DELETE /v1/jobs/${s.slice(0, 30)}`, method: 'DELETE', path: `/v1/jobs/${s}` });
    cases.push({ name: `POST /v1/jobs/${s.slice(0, 30)}/pause`, method: 'POST', path: `/v1/jobs/${s}/pause`, body: '{}' });
    cases.push({ name: `POST /v1/runs/${s.slice(0, 30)}/cancel`, method: 'POST', path: `/v1/runs/${s}/cancel` });
    cases.push({ name: `DELETE /v1/keys/${s.slice(0, 30)}`, method: 'DELETE', path: `/v1/keys/${s}` });
    cases.push({ name: `GET /v1/alerts/${s.slice(0, 30)}`, method: 'GET', path: `/v1/alerts/${s}` });
  }
  for (const id of ['0', '-1', '1.5', '1e3', 'abc', '99999999999999999999', '0x10']) {
    cases.push({ name: `DELETE /v1/keys/${id}`, method: 'DELETE', path: `/v1/keys/${id}` });
    cases.push({ name: `DELETE /v1/sessions/${id}`, method: 'DELETE', path: `/v1/sessions/${id}` });
    cases.push({ name: `POST /v1/alerts/${id}/resolve`, method: 'POST', path: `/v1/alerts/${id}/resolve`, body: '{}' });
  }
  for (const p of ['/v1/../metrics', '/v1/%2e%2e/metrics', '/v1/jobs/../keys', '/v2/jobs', '/v1', '/v1//jobs', '/V1/jobs', '/v1/jobs/', '/v1/nope']) {
    cases.push({ name: `GET ${p}`, method: 'GET', path: p });
  }
  return cases;
}

/** Query strings with wrong types, unknown names, out-of-range numbers and hostile values. */
function badQueries(): Case[] {
  const qs = [
    'limit=-1', 'limit=0', 'limit=abc', 'limit=1e9', 'limit=1.5', 'cursor=%00', 'cursor=not-a-cursor', 'sort=%3Bdrop', 'sort=-', 'paused=maybe', 'kind=bitcoin',
    'nope=1', 'text=' + 'x'.repeat(5000), 'tag=' + 't'.repeat(200), 'limit=1&limit=2&limit=x',
  ];
  const cases: Case[] = [];
  for (const q of qs) cases.push({ name: `GET /v1/jobs?${q.slice(0, 30)}`, method: 'GET', path: `/v1/jobs?${q}` });
  for (const q of ['count=0', 'count=201', 'count=x', 'count=1e9', 'other=1']) cases.push({ name: `next-runs?${q}`, method: 'GET', path: `/v1/jobs/${TARGET}/next-runs?${q}` });
  const manyKeys = Array.from({ length: 101 }, (_, i) => `key=job-${i}`).join('&');
  for (const q of ['', 'count=3', 'key=Not%20A%20Slug', `key=${TARGET}&key=${TARGET}`, `key=${TARGET}&count=0`, `key=${TARGET}&other=1`, manyKeys]) {
    cases.push({ name: `next-runs of jobs?${q.slice(0, 30)}`, method: 'GET', path: `/v1/next-runs?${q}` });
  }
  for (const q of ['status=bogus', 'kind=bogus', 'limit=-5', 'from=yesterday', 'to=1', 'job=Not%20A%20Slug', 'cursor=x', 'extra=1']) cases.push({ name: `alerts?${q}`, method: 'GET', path: `/v1/alerts?${q}` });
  for (const q of ['job=..%2f', 'limit=x', 'status=nope', 'cursor=%zz', 'extra=1']) cases.push({ name: `runs?${q}`, method: 'GET', path: `/v1/runs?${q}` });
  for (const q of ['job=Not%20A%20Slug', 'limit=-1', 'cursor=x', 'extra=1']) cases.push({ name: `audit?${q}`, method: 'GET', path: `/v1/audit?${q}` });
  cases.push({ name: 'events with a bad Last-Event-ID', method: 'GET', path: '/v1/events', headers: { 'last-event-id': '../../x' } });
  cases.push({ name: 'events with a bad lastEventId', method: 'GET', path: '/v1/events?lastEventId=%3Cscript%3E' });
  return cases;
}

const ALL = [...badJobBodies(), ...brokenBodies(), ...badActionBodies(), ...badPaths(), ...badQueries()];

const TABLES = ['job_definitions', 'audit_log', 'api_keys', 'console_sessions', 'alerts', 'outbox'];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await h.orm.em.getConnection().execute(`select count(*) as n from ${t}`))[0].n);
  return out;
}

describe('fuzz: malformed requests', () => {
  it(`has at least 500 cases (${ALL.length})`, () => {
    expect(ALL.length).toBeGreaterThanOrEqual(500);
  });

  it('answers every one with a 4xx and a JSON body naming the problem, and writes nothing', { timeout: 120_000 }, async () => {
    const before = await counts();
    const target = (await h.call({ method: 'GET', url: `/v1/jobs/${TARGET}` })).json();
    const bad: string[] = [];
    // A few at a time: fast, yet no flood (the machine is shared).
    for (let i = 0; i < ALL.length; i += 8) {
      const batch = ALL.slice(i, i + 8);
      const answers = await Promise.all(batch.map(send));
      answers.forEach((a, j) => {
        const c = batch[j];
        let body: { error?: unknown; message?: unknown } | null = null;
        try {
          body = JSON.parse(a.body);
        } catch {
          body = null;
        }
        const named = body && typeof body.error === 'string' && body.error.length > 0 && typeof body.message === 'string' && body.message.length > 0;
        if (a.status < 400 || a.status >= 500 || !a.type.startsWith('application/json') || !named) {
          bad.push(`${c.name} → ${a.status} ${a.type} ${a.body.slice(0, 120)}`);
        }
      });
    }
    expect(bad).toEqual([]);
    expect(await counts()).toEqual(before);
    const after = (await h.call({ method: 'GET', url: `/v1/jobs/${TARGET}` })).json();
    expect(after).toEqual(target);
  });
});
