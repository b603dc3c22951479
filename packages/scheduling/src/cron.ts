/**
 * Cron validation and a wall-clock matcher, written to the dialect Temporal's server accepts, so that
 * every expression we accept means the same thing to Temporal (cron.test.ts checks that against the
 * server). We check before calling Temporal because its errors ("Minute is not in range [0-59]") do not
 * say which text was wrong, and because Temporal silently accepts a few things that mean something else
 * than the user expects (see UNSUPPORTED).
 */

export type CronCheck =
  | { ok: true; temporalCron: string; /** A valid expression that may surprise, e.g. day-of-month AND day-of-week. */ warning?: string }
  | { ok: false; message: string };

/** The values each field matches (day-of-week 0-6, Sunday = 0). Shared with the DST annotator. */
export type CronFields = {
  second: ReadonlySet<number>;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
};

type FieldSpec = { label: string; min: number; max: number; names?: readonly string[]; nameBase?: number };

const SECOND: FieldSpec = { label: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  label: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  nameBase: 1,
};
// 7 is Sunday too, as in Temporal and most crons.
const DAY_OF_WEEK: FieldSpec = { label: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], nameBase: 0 };

// Temporal expands these itself (and the same way); we expand them only to match wall times locally.
const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

// Quartz/croner extras. Temporal rejects L, W and ?, and treats "#" as the start of a comment, so
// "0 9 * * MON#2" would quietly fire every Monday; H is Jenkins' hash. All are refused by name.
const UNSUPPORTED: Record<string, string> = {
  '#': '"#" (nth weekday) is not supported',
  '?': '"?" is not supported; use "*"',
  L: '"L" (last) is not supported',
  W: '"W" (nearest weekday) is not supported',
  H: '"H" (hashed value) is not supported',
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // February may have 29

type Compiled = { fields: CronFields; temporalCron: string; warning?: string };

class CronError extends Error {}

/** Validates a user's cron and gives the string to hand Temporal (6 fields → 7 with a trailing year). */
export function checkCron(expr: string): CronCheck {
  try {
    const { temporalCron, warning } = compileCron(expr);
    return warning ? { ok: true, temporalCron, warning } : { ok: true, temporalCron };
  } catch (err) {
    if (err instanceof CronError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The fields of a valid cron; throws a RangeError with checkCron's message otherwise. */
export function parseCron(expr: string): CronFields {
  try {
    return compileCron(expr).fields;
  } catch (err) {
    if (err instanceof CronError) throw new RangeError(err.message);
    throw err;
  }
}

/**
 * Does this local wall-clock time match? `wall` is the wall time written as if it were UTC
 * (Date.UTC(y, m, d, h, min, s)). Day-of-month and day-of-week must both match: Temporal ANDs them.
 */
export function cronMatchesWall(fields: CronFields, wall: number): boolean {
  const d = new Date(wall);
  return (
    fields.second.has(d.getUTCSeconds()) &&
    fields.minute.has(d.getUTCMinutes()) &&
    fields.hour.has(d.getUTCHours()) &&
    fields.dayOfMonth.has(d.getUTCDate()) &&
    fields.month.has(d.getUTCMonth() + 1) &&
    fields.dayOfWeek.has(d.getUTCDay())
  );
}

const MINUTE_MS = 60_000;

/** Wall times in [from, to] the cron names, ascending: minute by minute, then its seconds within each minute. */
export function namedWalls(fields: CronFields, from: number, to: number): number[] {
  const out: number[] = [];
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minuteFields = { ...fields, second: new Set([0]) };
  for (let minute = Math.floor(from / MINUTE_MS) * MINUTE_MS; minute <= to; minute += MINUTE_MS) {
    if (!cronMatchesWall(minuteFields, minute)) continue;
    for (const s of seconds) {
      const wall = minute + s * 1000;
      if (wall >= from && wall <= to) out.push(wall);
    }
  }
  return out;
}

function compileCron(expr: string): Compiled {
  const text = expr.trim();
  if (text === '') throw new CronError('cron expression is empty');
  if (/^(CRON_)?TZ=/i.test(text)) throw new CronError('a time zone prefix (TZ=... or CRON_TZ=...) is not allowed here; set the timezone field');
  if (text.startsWith('@')) return compileShorthand(text);

  const parts = text.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new CronError(`expected 5 fields (or 6 with seconds first), got ${parts.length}`);
  const [sec, min, hour, dom, month, dow] = parts.length === 6 ? parts : ['0', ...parts];
  const fields: CronFields = {
    second: parseField(sec, SECOND),
    minute: parseField(min, MINUTE),
    hour: parseField(hour, HOUR),
    dayOfMonth: parseField(dom, DAY_OF_MONTH),
    month: parseField(month, MONTH),
    dayOfWeek: new Set([...parseField(dow, DAY_OF_WEEK)].map((d) => d % 7)),
  };
  if (![...fields.month].some((m) => [...fields.dayOfMonth].some((d) => d <= DAYS_IN_MONTH[m - 1]))) {
    throw new CronError(`day-of-month field "${dom}" never occurs in month field "${month}", so the schedule would never fire`);
  }
  // Temporal reads 6 fields as minute..day-of-week + YEAR, and 7 as second..year: add the year.
  const temporalCron = parts.length === 6 ? `${parts.join(' ')} *` : parts.join(' ');
  const warning =
    dom !== '*' && dow !== '*'
      ? `day-of-month "${dom}" and day-of-week "${dow}" are both set: Temporal fires only on days matching both (AND), unlike classic cron (OR)`
      : undefined;
  return { fields, temporalCron, warning };
}

function compileShorthand(text: string): Compiled {
  const key = text.toLowerCase();
  if (key === '@every' || key.startsWith('@every ')) throw new CronError('"@every" is not allowed in a cron; use the interval field');
  const expansion = SHORTHANDS[key];
  if (!expansion) throw new CronError(`unknown shorthand "${text}"; use one of ${Object.keys(SHORTHANDS).join(', ')}`);
  // Temporal knows these names (lower case only), so pass the name through.
  return { fields: compileCron(expansion).fields, temporalCron: key };
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`${spec.label} field "${text}" has an empty list item`);
    for (const v of parseItem(item, spec)) values.add(v);
  }
  return values;
}

/** One list item: "*", "n", "a-b", each optionally "/step" ("n/step" runs from n to the field's max). */
function parseItem(item: string, spec: FieldSpec): number[] {
  const slash = item.split('/');
  if (slash.length > 2) throw new CronError(`${spec.label} field "${item}" has more than one "/"`);
  const [base, stepText] = slash;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) throw new CronError(`${spec.label} step "${stepText}" is not a number`);
    step = Number(stepText);
    const maxStep = spec.max - spec.min;
    // A step past the field's span matches only its start: "*/90" minutes means ":00 hourly", not "every 90 minutes".
    if (step < 1 || step > maxStep) throw new CronError(`${spec.label} step "${stepText}" is out of range 1-${maxStep}`);
  }

  let start: number;
  let end: number;
  if (base === '*') {
    [start, end] = [spec.min, spec.max];
  } else if (base.includes('-')) {
    const ends = base.split('-');
    if (ends.length !== 2 || ends[0] === '' || ends[1] === '') throw new CronError(`${spec.label} range "${base}" is not of the form a-b`);
    start = parseValue(ends[0], spec);
    end = parseValue(ends[1], spec);
    if (end < start) {
      throw new CronError(`${spec.label} range "${base}" runs backwards; wrap-around ranges are not supported, split it into two ranges joined by ","`);
    }
  } else {
    start = parseValue(base, spec);
    end = stepText === undefined ? start : spec.max;
  }
  const out: number[] = [];
  for (let v = start; v <= end; v += step) out.push(v);
  return out;
}

function parseValue(token: string, spec: FieldSpec): number {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < spec.min || n > spec.max) throw new CronError(`${spec.label} field "${token}" is out of range ${spec.min}-${spec.max}`);
    return n;
  }
  if (spec.names) {
    const i = spec.names.indexOf(token.toUpperCase());
    if (i >= 0) return i + (spec.nameBase ?? 0);
  }
  const bad = Object.keys(UNSUPPORTED).find((ch) => token.toUpperCase().includes(ch));
  if (bad) throw new CronError(`${spec.label} field "${token}": ${UNSUPPORTED[bad]}`);
  if (spec.names) {
    throw new CronError(
      `${spec.label} field "${token}" is not a number ${spec.min}-${spec.max} or a name ${spec.names[0]}-${spec.names[spec.names.length - 1]}`,
    );
  }
  throw new CronError(`${spec.label} field "${token}" is not a number ${spec.min}-${spec.max}`);
}
