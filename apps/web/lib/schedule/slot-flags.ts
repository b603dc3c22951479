import type { Slot } from '../api/types';

/**
 * What a slot's DST flags say, in a few words for a badge: which occurrence of a repeated wall time it
 * is, what it was shifted from, or that the job's policy skips it. Null for an ordinary slot.
 */
export function slotFlag(s: Slot): string | null {
  const parts: string[] = [];
  if (s.status === 'skipped') parts.push(s.missingWall ? `${s.missingWall} does not exist: skipped by policy` : 'skipped by policy');
  if (s.ambiguous) parts.push(s.ambiguous === 'first' ? 'ambiguous: first' : 'ambiguous: last');
  if (s.shiftedFrom?.length) {
    const from = s.shiftedFrom.length > 3 ? `${s.shiftedFrom[0]}–${s.shiftedFrom[s.shiftedFrom.length - 1]}` : s.shiftedFrom.join(', ');
    parts.push(`shifted from ${from}`);
  }
  if (!parts.length && s.dayLengthHours !== 24) parts.push(`${s.dayLengthHours} h day`);
  return parts.length ? parts.join(' · ') : null;
}

/** The slot's time on the zone's clock; a skipped time that does not exist shows as the wall time the cron named. */
export function slotClock(s: Slot, formatted: string): string {
  return s.missingWall ? formatted.replace(/\d{2}:\d{2}(:\d{2})?$/, s.missingWall) : formatted;
}
