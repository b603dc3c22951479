// Cron expressions in plain English ("At 03:00 every day"). Covers the shapes people write; anything
// else falls back to a field-by-field description so the words never lie about the expression.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const MONTH_NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

type Part = { kind: 'any' } | { kind: 'step'; step: number; from: number } | { kind: 'list'; items: Item[] };
type Item = { from: number; to: number; step: number };

const pad = (n: number) => String(n).padStart(2, '0');
const plural = (n: number, word: string) => (n === 1 ? word : `${n} ${word}s`);

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function parseValue(raw: string, names?: Record<string, number>): number {
  const lower = raw.toLowerCase();
  if (names && lower in names) return names[lower];
  if (!/^\d+$/.test(raw)) throw new Error(`bad value ${raw}`);
  return Number(raw);
}

function parseField(raw: string, names?: Record<string, number>): Part {
  if (raw === '*' || raw === '?') return { kind: 'any' };
  const star = /^\*\/(\d+)$/.exec(raw);
  if (star) return { kind: 'step', step: Number(star[1]), from: 0 };
  const items = raw.split(',').map((piece): Item => {
    const [range, stepRaw] = piece.split('/');
    const step = stepRaw === undefined ? 1 : parseValue(stepRaw);
    if (range === '*') return { from: -1, to: -1, step };
    const [a, b] = range.split('-');
    const from = parseValue(a, names);
    const to = b === undefined ? (stepRaw === undefined ? from : -1) : parseValue(b, names);
    return { from, to, step };
  });
  return { kind: 'list', items };
}

/** Single values only (e.g. "0", "3,15"), or null when the field has ranges or steps. */
function singles(part: Part): number[] | null {
  if (part.kind !== 'list') return null;
  if (part.items.some((i) => i.from !== i.to || i.from < 0)) return null;
  return part.items.map((i) => i.from);
}

function describeList(part: Part, name: (n: number) => string, openEnd: number): string {
  if (part.kind === 'any') return 'every';
  if (part.kind === 'step') return `every ${part.step}`;
  return joinWords(
    part.items.map((i) => {
      if (i.from === i.to) return name(i.from);
      const from = i.from < 0 ? 0 : i.from;
      const to = i.to < 0 ? openEnd : i.to;
      const range = `${name(from)} to ${name(to)}`;
      return i.step > 1 ? `every ${i.step} from ${range}` : range;
    }),
  );
}

const dayName = (n: number) => DAYS[n % 7] ?? String(n);
const monthName = (n: number) => MONTHS[n - 1] ?? String(n);

function dayPhrase(dom: Part, month: Part, dow: Part): string {
  const parts: string[] = [];
  const domAny = dom.kind === 'any';
  const dowAny = dow.kind === 'any';
  if (domAny && dowAny) parts.push('every day');
  else {
    const dayOfMonth = domAny
      ? ''
      : dom.kind === 'step'
        ? `every ${dom.step} days`
        : (() => {
            const s = singles(dom);
            return s && s.length > 1 ? `on days ${joinWords(s.map(String))} of the month` : `on day ${describeList(dom, String, 31)} of the month`;
          })();
    const dayOfWeek = dowAny ? '' : dow.kind === 'step' ? `every ${dow.step} days of the week` : `on ${describeList(dow, dayName, 6)}`;
    // Cron runs when either day field matches if both are restricted.
    parts.push([dayOfMonth, dayOfWeek].filter(Boolean).join(' or '));
  }
  if (month.kind !== 'any') parts.push(month.kind === 'step' ? `every ${month.step} months` : `in ${describeList(month, monthName, 12)}`);
  return parts.join(' ');
}

function timePhrase(second: Part, minute: Part, hour: Part): { text: string; daily: boolean } {
  const secs = singles(second);
  const secondSuffix = secs && secs.length === 1 && secs[0] === 0 ? '' : second.kind === 'any' ? '' : ` at second ${describeList(second, String, 59)}`;
  if (second.kind === 'any') return { text: 'Every second', daily: false };
  if (second.kind === 'step' && minute.kind === 'any' && hour.kind === 'any') return { text: `Every ${plural(second.step, 'second')}`, daily: false };

  const mins = singles(minute);
  const hours = singles(hour);
  if (minute.kind === 'any' && hour.kind === 'any') return { text: `Every minute${secondSuffix}`, daily: false };
  if (minute.kind === 'step' && hour.kind === 'any') return { text: `Every ${plural(minute.step, 'minute')}${secondSuffix}`, daily: false };
  if (minute.kind === 'any' && hours) return { text: `Every minute during hour ${joinWords(hours.map(pad))}${secondSuffix}`, daily: true };
  if (mins && hour.kind === 'any') {
    return { text: `Every hour at minute ${joinWords(mins.map(String))}${secondSuffix}`, daily: false };
  }
  if (mins && hour.kind === 'step') {
    return { text: `Every ${plural(hour.step, 'hour')} at minute ${joinWords(mins.map(String))}${secondSuffix}`, daily: false };
  }
  if (mins && hours && mins.length * hours.length <= 6) {
    const sec = secs && secs.length === 1 && secs[0] !== 0 ? `:${pad(secs[0])}` : '';
    const times = hours.flatMap((h) => mins.map((m) => `${pad(h)}:${pad(m)}${sec}`)).sort();
    return { text: `At ${joinWords(times)}`, daily: true };
  }
  if (mins && hour.kind === 'list') {
    return { text: `Every hour from ${describeList(hour, (h) => `${pad(h)}:${pad(mins[0])}`, 23)}${mins.length > 1 ? ` at minutes ${joinWords(mins.map(String))}` : ''}`, daily: true };
  }
  const m = minute.kind === 'step' ? `every ${plural(minute.step, 'minute')}` : `at minute ${describeList(minute, String, 59)}`;
  const h = hour.kind === 'any' ? 'of every hour' : hour.kind === 'step' ? `of every ${plural(hour.step, 'hour')}` : `during hour ${describeList(hour, pad, 23)}`;
  const text = `${m} ${h}${secondSuffix}`;
  return { text: text[0].toUpperCase() + text.slice(1), daily: hour.kind !== 'any' };
}

/** "At 03:00 every day" for "0 3 * * *"; null when the expression cannot be read. */
export function cronToWords(expression: string): string | null {
  const trimmed = expression.trim();
  const every = /^@every\s+(\S+)$/i.exec(trimmed);
  if (every) return `Every ${every[1]}`;
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return null;
  const [s, m, h, dom, mon, dow] = fields.length === 6 ? fields : ['0', ...fields];
  try {
    const second = parseField(s);
    const minute = parseField(m);
    const hour = parseField(h);
    const days = dayPhrase(parseField(dom), parseField(mon, MONTH_NAMES), parseField(dow, DAY_NAMES));
    const time = timePhrase(second, minute, hour);
    if (days === 'every day') return time.daily ? `${time.text} every day` : time.text;
    return `${time.text} ${days}`;
  } catch {
    return null;
  }
}

/** A schedule in words with its zone: "At 03:00 every day, Asia/Shanghai" or "Every 10m, UTC". */
export function scheduleInWords(schedule: { cron?: string; interval?: string; timezone?: string }): string {
  const zone = schedule.timezone || 'UTC';
  if (schedule.interval) return `Every ${schedule.interval}, ${zone}`;
  if (!schedule.cron) return `No schedule, ${zone}`;
  const words = cronToWords(schedule.cron);
  return `${words ?? `Cron ${schedule.cron}`}, ${zone}`;
}
