import { Value } from '@sinclair/typebox/value';
import { formatDuration, JOB_KINDS, parseDuration, worstCaseRunMs, type JobKind } from '@timekeeper/contracts';
import { checkCron, checkInterval, checkTimezone } from '@timekeeper/scheduling';
import { badRequest } from '../errors';
import type { FullDefinition } from './job-mapper';

type Detail = { field: string; message: string };

const DST_FIELDS = ['repeatedWallTime', 'missingWallTime'] as const;

/**
 * Checks one schedule (cron or interval + zone); returns Temporal's form of the cron. Used by preview too.
 * `named` is the schedule as the request wrote it: a DST policy named for an interval is refused, not ignored.
 */
export function validateSchedule(
  schedule: { cron?: string; interval?: string; timezone: string },
  details: Detail[],
  prefix = 'schedule.',
  named: Partial<Record<(typeof DST_FIELDS)[number], unknown>> = {},
): string | null {
  let temporalCron: string | null = null;
  if (!!schedule.cron === !!schedule.interval) {
    details.push({ field: `${prefix}cron`, message: 'give exactly one of cron or interval' });
  } else if (schedule.cron) {
    const check = checkCron(schedule.cron);
    if (check.ok) temporalCron = check.temporalCron;
    else details.push({ field: `${prefix}cron`, message: check.message });
  } else if (schedule.interval) {
    const intervalError = checkInterval(parseDuration(schedule.interval));
    if (intervalError) details.push({ field: `${prefix}interval`, message: intervalError });
  }
  const zoneError = checkTimezone(schedule.timezone);
  if (zoneError) details.push({ field: `${prefix}timezone`, message: zoneError });
  if (schedule.interval) {
    for (const f of DST_FIELDS) {
      if (named[f] !== undefined) {
        details.push({ field: `${prefix}${f}`, message: 'applies to cron schedules only: an interval runs in absolute time and never meets a clock change' });
      }
    }
  }
  return temporalCron;
}

/**
 * Everything the JSON schema cannot say: params against the kind's own schema, a real cron and zone,
 * and durations that make sense together. Throws a 400 naming every field at fault; returns the
 * params with the kind's defaults filled in and the cron in Temporal's form.
 */
export function validateDefinition(d: FullDefinition, named: { schedule?: Record<string, unknown> } = {}): { params: Record<string, unknown>; temporalCron: string | null } {
  const details: Detail[] = [];
  const kind = JOB_KINDS[d.kind as JobKind];
  let params = d.params;
  if (!kind) {
    details.push({ field: 'kind', message: `unknown kind "${d.kind}"` });
  } else {
    params = Value.Default(kind.params, structuredClone(d.params)) as Record<string, unknown>;
    for (const e of Value.Errors(kind.params, params)) {
      const path = e.path.split('/').filter(Boolean).join('.');
      details.push({ field: `params${path ? `.${path}` : ''}`, message: e.message });
    }
  }
  const temporalCron = validateSchedule(d.schedule, details, 'schedule.', named.schedule);
  const ms = (v: string) => parseDuration(v);
  if (ms(d.schedule.catchupWindow) < 10_000) details.push({ field: 'schedule.catchupWindow', message: 'must be at least 10s' });
  if (ms(d.retry.maxInterval) < ms(d.retry.initialInterval)) {
    details.push({ field: 'retry.maxInterval', message: 'must not be shorter than retry.initialInterval' });
  }
  if (ms(d.timeouts.startToClose) > ms(d.timeouts.run)) {
    details.push({ field: 'timeouts.startToClose', message: 'must not be longer than timeouts.run' });
  } else {
    // Every attempt must fit in the run: a run timeout cuts the run off with no workflow code left to record it.
    const retry = {
      maxAttempts: d.retry.maxAttempts,
      initialIntervalMs: ms(d.retry.initialInterval),
      maxIntervalMs: ms(d.retry.maxInterval),
      backoffCoefficient: d.retry.backoffCoefficient,
      nonRetryableErrorTypes: [],
    };
    const needed = worstCaseRunMs(retry, ms(d.timeouts.startToClose));
    if (needed > ms(d.timeouts.run)) {
      details.push({
        field: 'timeouts.run',
        message:
          `must fit retry.maxAttempts (${d.retry.maxAttempts}) × timeouts.startToClose (${d.timeouts.startToClose}) plus the retry backoff: ` +
          `at least ${formatDuration(Math.ceil(needed / 1000) * 1000)}; raise timeouts.run or lower retry.maxAttempts or timeouts.startToClose`,
      });
    }
  }
  if (ms(d.timeouts.heartbeat) >= ms(d.timeouts.startToClose)) {
    details.push({ field: 'timeouts.heartbeat', message: 'must be shorter than timeouts.startToClose' });
  }
  // The sweeper judges a slot by its nominal time: a start the jitter delays past the grace period would
  // be reported late, or missed, though the scheduler did what it was told.
  if (ms(d.schedule.jitter) >= ms(d.gracePeriod)) {
    details.push({ field: 'schedule.jitter', message: `must be shorter than gracePeriod (${d.gracePeriod}): a start it delays past the grace period would be reported late` });
  }
  if (ms(d.lock.ttl) < 1_000) details.push({ field: 'lock.ttl', message: 'must be at least 1s' });
  if (details.length) throw badRequest(`Invalid job definition: ${details.map((x) => `${x.field} ${x.message}`).join('; ')}`, details);
  return { params, temporalCron };
}
