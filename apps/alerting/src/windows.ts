import { parseDuration, type MaintenanceWindowDto } from '@timekeeper/contracts';
import { cronMatchesWall, offsetAt, parseCron, type CronFields } from '@timekeeper/scheduling';

const MINUTE = 60_000;
const SECOND = 1_000;
/** A 6-field cron (seconds first) starts occurrences on seconds; a 5-field one on minutes. */
const stepOf = (cron: string): number => (cron.trim().split(/\s+/).length === 6 ? SECOND : MINUTE);

/** A window in force at some instant: which one, and until when (this occurrence). */
export type ActiveWindow = { id: number; name: string; reason: string; mode: MaintenanceWindowDto['mode']; from: Date; until: Date; label: string };

/**
 * When maintenance windows are in force. A one-off window covers [from, to); a recurring one each
 * [start, start + duration) where start is a minute (or second, for a 6-field cron) its cron matches on the zone's wall clock (a wall
 * time a DST change skips has no occurrence; a repeated one has two). Ending a window early cuts the
 * occurrence in force at that moment (for a one-off window: the window).
 */
export class WindowCalendar {
  private readonly crons = new Map<string, CronFields>();
  // (cron, zone, minute) -> matches: each minute is looked at once however many slots ask.
  private readonly matches = new Map<string, boolean>();

  private fields(cron: string): CronFields {
    let f = this.crons.get(cron);
    if (!f) {
      f = parseCron(cron);
      this.crons.set(cron, f);
    }
    return f;
  }

  private matchesAt(cron: string, tz: string, minute: number): boolean {
    const key = `${cron}|${tz}|${minute}`;
    let m = this.matches.get(key);
    if (m === undefined) {
      if (this.matches.size > 50_000) this.matches.clear();
      m = cronMatchesWall(this.fields(cron), minute + offsetAt(minute, tz));
      this.matches.set(key, m);
    }
    return m;
  }

  /** The occurrence of the window in force at `t`, if any. */
  occurrenceAt(w: MaintenanceWindowDto, t: number): { from: number; until: number } | null {
    let occ: { from: number; until: number } | null = null;
    if (w.from && w.to) {
      const from = Date.parse(w.from);
      const until = Date.parse(w.to);
      if (from <= t && t < until) occ = { from, until };
    } else if (w.cron && w.duration && w.timezone) {
      const length = parseDuration(w.duration);
      // The latest start at or before t that still covers it.
      const step = stepOf(w.cron);
      for (let m = Math.floor(t / step) * step; m > t - length; m -= step) {
        if (this.matchesAt(w.cron, w.timezone, m)) {
          occ = { from: m, until: m + length };
          break;
        }
      }
    }
    if (!occ) return null;
    const ended = w.endedAt ? Date.parse(w.endedAt) : null;
    if (ended !== null && ended >= occ.from) {
      if (t >= ended) return null;
      occ.until = Math.min(occ.until, ended);
    }
    return occ;
  }

  /** The windows covering a job that are in force at `t`; pause windows first. */
  activeFor(windows: readonly MaintenanceWindowDto[], job: { key: string; tags: readonly string[] }, t: number): ActiveWindow[] {
    const out: ActiveWindow[] = [];
    for (const w of windows) {
      if (!w.jobs.includes(job.key) && !w.tags.some((tag) => job.tags.includes(tag))) continue;
      const occ = this.occurrenceAt(w, t);
      if (occ) out.push({ id: w.id, name: w.name, reason: w.reason, mode: w.mode, from: new Date(occ.from), until: new Date(occ.until), label: `window #${w.id} "${w.name}"` });
    }
    return out.sort((a, b) => (a.mode === b.mode ? a.id - b.id : a.mode === 'pause' ? -1 : 1));
  }
}
