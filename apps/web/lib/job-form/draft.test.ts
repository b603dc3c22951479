import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../api/types';
import { emptyDraft, enumOptions, paramsForKind, toBody, validateDraft } from './draft';

const schema: JsonSchema = {
  type: 'object',
  required: ['chunks', 'period'],
  properties: {
    chunks: { type: 'integer', minimum: 1, maximum: 10, default: 5 },
    period: { default: 'day', anyOf: [{ const: 'hour', type: 'string' }, { const: 'day', type: 'string' }] },
    failAtChunk: { type: 'integer', minimum: 0 },
  },
};

describe('job draft', () => {
  it('fills params defaults from the schema and keeps typed values', () => {
    expect(paramsForKind(schema, {})).toEqual({ chunks: '5', period: 'day', failAtChunk: '' });
    expect(paramsForKind(schema, { chunks: '7', gone: 'x' })).toEqual({ chunks: '7', period: 'day', failAtChunk: '' });
    expect(enumOptions(schema.properties!.period)).toEqual(['hour', 'day']);
  });

  it('turns strings into a request body, omitting empty optional params', () => {
    const d = { ...emptyDraft('synthetic'), key: 'my-job', name: 'My job', params: { chunks: '3', period: 'hour', failAtChunk: '' }, tags: 'a, b,' };
    const body = toBody(d, schema);
    expect(body.params).toEqual({ chunks: 3, period: 'hour' });
    expect(body.schedule).toMatchObject({ cron: '0 3 * * *', timezone: 'UTC' });
    expect(body.schedule.interval).toBeUndefined();
    expect(body.tags).toEqual(['a', 'b']);
    expect(body.retry?.maxAttempts).toBe(3);
  });

  it('names each bad field by its API path', () => {
    const d = { ...emptyDraft('synthetic'), key: 'X', name: '', timezone: 'Mars/Base', params: { chunks: '99', period: 'day' }, maxAttempts: '0', heartbeat: '30 seconds' };
    const e = validateDraft(d, schema, new Set(['UTC']));
    expect(Object.keys(e).sort()).toEqual(['key', 'name', 'params.chunks', 'retry.maxAttempts', 'schedule.timezone', 'timeouts.heartbeat'].sort());
    expect(e['params.chunks']).toBe('at most 10');
  });
});

describe('DST policy in the draft', () => {
  it('goes into the body for a cron, and is left out for an interval', () => {
    const d = { ...emptyDraft('synthetic'), key: 'my-job', name: 'My job', repeatedWallTime: 'both' as const, missingWallTime: 'skip' as const };
    expect(toBody(d, undefined).schedule).toMatchObject({ cron: '0 3 * * *', repeatedWallTime: 'both', missingWallTime: 'skip' });
    const interval = toBody({ ...d, mode: 'interval' }, undefined).schedule;
    expect(interval).toMatchObject({ interval: '10m' });
    expect(interval).not.toHaveProperty('repeatedWallTime');
    expect(interval).not.toHaveProperty('missingWallTime');
  });

  it('defaults to first / shift', () => {
    expect(emptyDraft()).toMatchObject({ repeatedWallTime: 'first', missingWallTime: 'shift' });
  });
});
