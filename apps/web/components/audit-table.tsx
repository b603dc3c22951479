'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useAudit } from '@/lib/api/audit/list-audit';
import type { AuditEntry } from '@/lib/api/types';
import { formatWithZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';
import { Empty, ErrorState, Loading } from './states';

/** What changed between before and after, as "field: old → new" lines (values shown as text). */
export function diffLines(before: unknown, after: unknown, prefix = ''): string[] {
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null || Array.isArray(before) || Array.isArray(after)) {
    const a = JSON.stringify(before);
    const b = JSON.stringify(after);
    return a === b ? [] : [`${prefix || 'value'}: ${a ?? '—'} → ${b ?? '—'}`];
  }
  const keysAll = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: string[] = [];
  for (const k of keysAll) {
    if (['updatedAt', 'version', 'updatedBy', 'syncStatus', 'syncError'].includes(k)) continue;
    out.push(...diffLines((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return out;
}

function Change({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const lines = entry.before && entry.after ? diffLines(entry.before, entry.after) : [];
  if (!lines.length) return null;
  return (
    <div className="small">
      <button type="button" className="btn ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {lines.length} change{lines.length === 1 ? '' : 's'}
      </button>
      {open && (
        <pre className="stack" style={{ marginTop: 4 }}>
          {lines.join('\n')}
        </pre>
      )}
    </div>
  );
}

export function AuditTable({ job, compact = false }: { job?: string; compact?: boolean }) {
  const audit = useAudit({ job, limit: compact ? 10 : 50 });
  const zone = useViewerZone();
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  if (audit.isLoading) return <Loading rows={3} label="Loading audit log" />;
  if (audit.isError) return <ErrorState error={audit.error} retry={() => void audit.refetch()} />;
  if (!items.length) return <Empty>Nothing recorded yet.</Empty>;
  return (
    <>
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When ({zone})</th>
            <th>Who</th>
            <th>What</th>
            {!job && <th>Job</th>}
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatWithZone(e.createdAt, zone, { seconds: true }).replace(` ${zone}`, '')}</td>
              <td>{e.actor}</td>
              <td>
                <code>{e.action}</code>
                <Change entry={e} />
              </td>
              {!job && <td>{e.jobKey ? <Link href={`/jobs/${encodeURIComponent(e.jobKey)}`}>{e.jobKey}</Link> : '—'}</td>}
              <td>{e.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage && (
        <div style={{ marginTop: 10, textAlign: 'center' }}>
          <button type="button" className="btn small" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
            {audit.isFetchingNextPage ? 'Loading…' : 'Older entries'}
          </button>
        </div>
      )}
    </>
  );
}
