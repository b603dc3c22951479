/** A DATETIME as a raw query returns it (mariadb gives strings), or null. */
export type RawDate = Date | string | null;

/** Raw queries return DATETIME as 'YYYY-MM-DD hh:mm:ss.fff' in the session zone, which createOrm sets to UTC. */
export function utcDate(v: Date | string): Date;
export function utcDate(v: RawDate): Date | null;
export function utcDate(v: RawDate): Date | null {
  if (v === null || v instanceof Date) return v;
  return new Date(`${v.replace(' ', 'T')}Z`);
}
