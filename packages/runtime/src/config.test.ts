import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const Schema = Type.Object({
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 4000 }),
  DEBUG: Type.Boolean({ default: false }),
});

describe('parseConfig', () => {
  it('applies defaults and converts strings', () => {
    expect(parseConfig(Schema, { DATABASE_URL: 'mysql://x', PORT: '4100', DEBUG: 'true' })).toEqual({
      DATABASE_URL: 'mysql://x',
      PORT: 4100,
      DEBUG: true,
    });
    expect(parseConfig(Schema, { DATABASE_URL: 'mysql://x' }).PORT).toBe(4000);
  });
  it('names a missing variable', () => {
    expect(() => parseConfig(Schema, {})).toThrow(new ConfigError('DATABASE_URL is required'));
  });
  it('names a malformed variable', () => {
    expect(() => parseConfig(Schema, { DATABASE_URL: 'mysql://x', PORT: 'eighty' })).toThrow(/^PORT is invalid/);
    expect(() => parseConfig(Schema, { DATABASE_URL: 'postgres://x' })).toThrow(/^DATABASE_URL is invalid/);
  });
});
