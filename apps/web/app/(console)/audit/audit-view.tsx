'use client';
import { useState } from 'react';
import { AuditTable } from '@/components/audit-table';
import { useDebounced } from '@/lib/use-debounced';

export function AuditView() {
  const [job, setJob] = useState('');
  const key = useDebounced(job.trim(), 300);
  const valid = key === '' || /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/.test(key);
  return (
    <main className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <span className="spacer" />
        <input type="search" aria-label="Filter by job key" placeholder="Job key" value={job} onChange={(e) => setJob(e.target.value)} aria-invalid={!valid || undefined} />
      </div>
      <div className="table-wrap">
        <AuditTable job={valid && key ? key : undefined} />
      </div>
    </main>
  );
}
