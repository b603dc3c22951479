// Durations travel as strings such as "90s", "10m", "2h", "1d" (or "1500ms"), so definitions stay readable.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DURATION_PATTERN = '^\\d+(ms|s|m|h|d)$';

/** Milliseconds in a duration string; throws a RangeError naming the bad value. */
export function parseDuration(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new RangeError(`"${value}" is not a duration such as 90s, 10m or 2h`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** The shortest exact string for a number of milliseconds ("90s", "2h"). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms > 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
