'use client';
import { useMemo } from 'react';

let cached: string[] | null = null;
/** Every IANA zone the browser knows, UTC first. */
export function allZones(): string[] {
  if (!cached) {
    let zones: string[] = [];
    try {
      zones = Intl.supportedValuesOf('timeZone');
    } catch {
      zones = [];
    }
    cached = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  }
  return cached;
}

/** A searchable zone picker: type any part of the name ("shang", "new_york") and pick from the list. */
export function ZoneInput({ value, onChange, ...rest }: { value: string; onChange: (v: string) => void; id?: string } & Record<string, unknown>) {
  const zones = useMemo(() => allZones(), []);
  return (
    <>
      <input type="text" list="iana-zones" autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} {...rest} />
      <datalist id="iana-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
