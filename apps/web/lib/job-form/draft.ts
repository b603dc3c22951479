import type { CreateJobBody, MissingWallTime, OverlapPolicy, RepeatedWallTime } from '@timekeeper/contracts';
import { DURATION_PATTERN, JOB_KEY_PATTERN } from '../contract-values';
import type { Job, JsonSchema } from '../api/types';

// The edit form works on strings (what inputs hold) and turns them into a request body at the end.

export type Draft = {
  key: string;
  name: string;
  description: string;
  kind: string;
  params: Record<string, string | boolean>;
  mode: 'cron' | 'interval';
  cron: string;
  interval: string;
  timezone: string;
  jitter: string;
  overlapPolicy: OverlapPolicy;
  catchupWindow: string;
  repeatedWallTime: RepeatedWallTime;
  missingWallTime: MissingWallTime;
  maxAttempts: string;
  initialInterval: string;
  maxInterval: string;
  backoffCoefficient: string;
  nonRetryableErrorTypes: string;
  runTimeout: string;
  startToClose: string;
  heartbeat: string;
  lockRequired: boolean;
  lockTtl: string;
  expectedMaxDuration: string;
  gracePeriod: string;
  tags: string;
  owner: string;
};

export function emptyDraft(kind = '', timezone = 'UTC'): Draft {
  return {
    key: '',
    name: '',
    description: '',
    kind,
    params: {},
    mode: 'cron',
    cron: '0 3 * * *',
    interval: '10m',
    timezone,
    jitter: '0s',
    overlapPolicy: 'skip',
    catchupWindow: '1m',
    repeatedWallTime: 'first',
    missingWallTime: 'shift',
    maxAttempts: '3',
    initialInterval: '10s',
    maxInterval: '5m',
    backoffCoefficient: '2',
    nonRetryableErrorTypes: '',
    runTimeout: '2h',
    startToClose: '30m',
    heartbeat: '30s',
    lockRequired: true,
    lockTtl: '30s',
    expectedMaxDuration: '',
    gracePeriod: '2m',
    tags: '',
    owner: '',
  };
}

export function draftFromJob(job: Job): Draft {
  return {
    key: job.key,
    name: job.name,
    description: job.description,
    kind: job.kind,
    params: Object.fromEntries(Object.entries(job.params).map(([k, v]) => [k, typeof v === 'boolean' ? v : v == null ? '' : String(v)])),
    mode: job.schedule.interval ? 'interval' : 'cron',
    cron: job.schedule.cron ?? '',
    interval: job.schedule.interval ?? '',
    timezone: job.schedule.timezone,
    jitter: job.schedule.jitter,
    overlapPolicy: job.schedule.overlapPolicy,
    catchupWindow: job.schedule.catchupWindow,
    repeatedWallTime: job.schedule.repeatedWallTime,
    missingWallTime: job.schedule.missingWallTime,
    maxAttempts: String(job.retry.maxAttempts),
    initialInterval: job.retry.initialInterval,
    maxInterval: job.retry.maxInterval,
    backoffCoefficient: String(job.retry.backoffCoefficient),
    nonRetryableErrorTypes: job.retry.nonRetryableErrorTypes.join(', '),
    runTimeout: job.timeouts.run,
    startToClose: job.timeouts.startToClose,
    heartbeat: job.timeouts.heartbeat,
    lockRequired: job.lock.required,
    lockTtl: job.lock.ttl,
    expectedMaxDuration: job.expectedMaxDuration ?? '',
    gracePeriod: job.gracePeriod,
    tags: job.tags.join(', '),
    owner: job.owner,
  };
}

/** Params defaults from the kind's schema, keeping what the user already typed for fields that still exist. */
export function paramsForKind(schema: JsonSchema | undefined, current: Draft['params']): Draft['params'] {
  const out: Draft['params'] = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    if (name in current) out[name] = current[name];
    else if (prop.type === 'boolean') out[name] = prop.default === true;
    else out[name] = prop.default === undefined ? '' : String(prop.default);
  }
  return out;
}

/** A param's options when its schema is a union of constants (TypeBox literals). */
export function enumOptions(prop: JsonSchema): string[] | null {
  if (prop.enum) return prop.enum.map(String);
  if (prop.anyOf && prop.anyOf.every((a) => a.const !== undefined)) return prop.anyOf.map((a) => String(a.const));
  return null;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function paramValue(prop: JsonSchema, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  if (raw.trim() === '') return undefined;
  if (prop.type === 'integer' || prop.type === 'number') return Number(raw);
  return raw;
}

export function toBody(d: Draft, schema: JsonSchema | undefined): CreateJobBody {
  const params: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    const v = paramValue(prop, d.params[name] ?? '');
    if (v !== undefined) params[name] = v;
  }
  return {
    key: d.key.trim(),
    name: d.name.trim(),
    description: d.description,
    kind: d.kind as CreateJobBody['kind'],
    params,
    schedule: {
      // The DST policy is a cron's only: the API refuses one named for an interval.
      ...(d.mode === 'cron'
        ? { cron: d.cron.trim(), repeatedWallTime: d.repeatedWallTime, missingWallTime: d.missingWallTime }
        : { interval: d.interval.trim() }),
      timezone: d.timezone,
      jitter: d.jitter.trim(),
      overlapPolicy: d.overlapPolicy,
      catchupWindow: d.catchupWindow.trim(),
    },
    retry: {
      maxAttempts: Number(d.maxAttempts),
      initialInterval: d.initialInterval.trim(),
      maxInterval: d.maxInterval.trim(),
      backoffCoefficient: Number(d.backoffCoefficient),
      nonRetryableErrorTypes: list(d.nonRetryableErrorTypes),
    },
    timeouts: { run: d.runTimeout.trim(), startToClose: d.startToClose.trim(), heartbeat: d.heartbeat.trim() },
    lock: { required: d.lockRequired, ttl: d.lockTtl.trim() },
    ...(d.expectedMaxDuration.trim() ? { expectedMaxDuration: d.expectedMaxDuration.trim() } : {}),
    gracePeriod: d.gracePeriod.trim(),
    tags: list(d.tags),
    owner: d.owner.trim(),
  };
}

const DURATION = new RegExp(DURATION_PATTERN);
const KEY = new RegExp(JOB_KEY_PATTERN);

/** Checks the browser can make before asking the API; keys are the API's field paths. */
export function validateDraft(d: Draft, schema: JsonSchema | undefined, zones: ReadonlySet<string>): Record<string, string> {
  const e: Record<string, string> = {};
  if (!KEY.test(d.key.trim())) e.key = '3–64 characters: lowercase letters, digits and dashes, not starting or ending with a dash';
  if (!d.name.trim()) e.name = 'required';
  if (!d.kind) e.kind = 'choose a kind';
  if (d.mode === 'cron' && !d.cron.trim()) e['schedule.cron'] = 'required';
  if (d.mode === 'interval' && !DURATION.test(d.interval.trim())) e['schedule.interval'] = 'a duration such as 90s, 10m or 2h';
  if (zones.size && !zones.has(d.timezone)) e['schedule.timezone'] = 'not a known IANA time zone';
  const durations: [keyof Draft, string][] = [
    ['jitter', 'schedule.jitter'],
    ['catchupWindow', 'schedule.catchupWindow'],
    ['initialInterval', 'retry.initialInterval'],
    ['maxInterval', 'retry.maxInterval'],
    ['runTimeout', 'timeouts.run'],
    ['startToClose', 'timeouts.startToClose'],
    ['heartbeat', 'timeouts.heartbeat'],
    ['lockTtl', 'lock.ttl'],
    ['gracePeriod', 'gracePeriod'],
  ];
  for (const [k, field] of durations) if (!DURATION.test(String(d[k]).trim())) e[field] = 'a duration such as 90s, 10m or 2h';
  if (d.expectedMaxDuration.trim() && !DURATION.test(d.expectedMaxDuration.trim())) e.expectedMaxDuration = 'a duration such as 90s, 10m or 2h, or empty';
  const attempts = Number(d.maxAttempts);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) e['retry.maxAttempts'] = 'a whole number from 1 to 100';
  const coef = Number(d.backoffCoefficient);
  if (!Number.isFinite(coef) || coef < 1 || coef > 10) e['retry.backoffCoefficient'] = 'a number from 1 to 10';
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    const raw = d.params[name];
    const required = schema?.required?.includes(name) ?? false;
    if (typeof raw === 'boolean') continue;
    if (raw === undefined || raw.trim() === '') {
      if (required) e[`params.${name}`] = 'required';
      continue;
    }
    if (prop.type === 'integer' || prop.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (prop.type === 'integer' && !Number.isInteger(n))) e[`params.${name}`] = prop.type === 'integer' ? 'a whole number' : 'a number';
      else if (prop.minimum !== undefined && n < prop.minimum) e[`params.${name}`] = `at least ${prop.minimum}`;
      else if (prop.maximum !== undefined && n > prop.maximum) e[`params.${name}`] = `at most ${prop.maximum}`;
    } else if (prop.type === 'string') {
      if (prop.minLength !== undefined && raw.length < prop.minLength) e[`params.${name}`] = `at least ${prop.minLength} characters`;
      if (prop.maxLength !== undefined && raw.length > prop.maxLength) e[`params.${name}`] = `at most ${prop.maxLength} characters`;
    }
  }
  return e;
}
