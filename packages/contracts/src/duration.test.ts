import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('parses each unit', () => {
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
  });
  it('names the bad value', () => {
    expect(() => parseDuration('10 minutes')).toThrow(/"10 minutes" is not a duration/);
    expect(() => parseDuration('-5s')).toThrow(RangeError);
  });
  it('formats to the largest exact unit and round-trips', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(1_500)).toBe('1500ms');
    for (const s of ['30s', '10m', '2h', '3d', '250ms']) expect(formatDuration(parseDuration(s))).toBe(s);
  });
});
