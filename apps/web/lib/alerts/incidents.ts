import type { Alert } from '@/lib/api/types';

/** An incident: the alerts of one job and kind (one per slot), in the order listed (newest first). */
export type Incident = { key: string; jobKey: string; kind: string; severity: string; alerts: Alert[] };

const RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Groups a page of alerts by job and kind, incidents in the order of their newest alert; severity is the worst one. */
export function incidentsOf(items: readonly Alert[]): Incident[] {
  const byKey = new Map<string, Incident>();
  for (const a of items) {
    const key = `${a.jobKey}|${a.kind}`;
    let inc = byKey.get(key);
    if (!inc) byKey.set(key, (inc = { key, jobKey: a.jobKey, kind: a.kind, severity: a.severity, alerts: [] }));
    inc.alerts.push(a);
    if ((RANK[a.severity] ?? 9) < (RANK[inc.severity] ?? 9)) inc.severity = a.severity;
  }
  return [...byKey.values()];
}
