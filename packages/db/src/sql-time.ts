/**
 * A DATETIME read by a raw query (em.execute): the driver hands back "YYYY-MM-DD HH:MM:SS.mmm" in
 * UTC (the ORM's connection zone), which `new Date()` would read as local time. Entities need none of this.
 */
export function sqlTime(v: Date | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
