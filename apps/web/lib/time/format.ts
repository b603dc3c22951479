// Every time the console shows carries its zone. Formatters are cached: the timeline formats a lot.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, withSeconds: boolean, withDate: boolean): Intl.DateTimeFormat {
  const id = `${zone}|${withSeconds}|${withDate}`;
  let f = cache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: withDate ? 'numeric' : undefined,
      month: withDate ? '2-digit' : undefined,
      day: withDate ? '2-digit' : undefined,
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    cache.set(id, f);
  }
  return f;
}

export function viewerZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "2026-11-29 03:00" in the zone (no zone label; see formatWithZone). */
export function formatInZone(value: string | number | Date, zone: string, opts: { seconds?: boolean; date?: boolean } = {}): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const parts = formatter(zone, opts.seconds ?? false, opts.date ?? true).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}${opts.seconds ? `:${get('second')}` : ''}`;
  return opts.date === false ? time : `${get('year')}-${get('month')}-${get('day')} ${time}`;
}

/** "2026-11-29 03:00 Asia/Shanghai". */
export function formatWithZone(value: string | number | Date, zone: string, opts: { seconds?: boolean } = {}): string {
  return `${formatInZone(value, zone, opts)} ${zone}`;
}

/** "1h 02m", "4.2s", "350ms". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const s = Math.round(ms / 1_000);
  const h = Math.floor(s / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(s % 60).padStart(2, '0')}s`;
}

/** "in 4 min", "3 h ago". */
export function formatRelative(value: string | number | Date, now = Date.now()): string {
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  const unit = abs < 60_000 ? [Math.round(abs / 1_000), 's'] : abs < 3_600_000 ? [Math.round(abs / 60_000), 'min'] : abs < 172_800_000 ? [Math.round(abs / 3_600_000), 'h'] : [Math.round(abs / 86_400_000), 'd'];
  return diff >= 0 ? `in ${unit[0]} ${unit[1]}` : `${unit[0]} ${unit[1]} ago`;
}

/** The zone's UTC offset (ms) at an instant, e.g. +8 h for Asia/Shanghai. */
export function zoneOffsetMs(zone: string, at: number): number {
  const parts = formatter(zone, true, true).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}
