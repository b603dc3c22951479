'use client';
import Link from 'next/link';
import { JobForm } from '@/components/job-form';
import { ErrorState, Loading } from '@/components/states';
import { useJob } from '@/lib/api/jobs/get-job';
import { useCan } from '@/lib/api/me/get-me';

export function EditJob({ jobKey }: { jobKey: string }) {
  const job = useJob(jobKey);
  const can = useCan();
  return (
    <main className="page">
      <p style={{ margin: '0 0 8px' }} className="small">
        <Link href={`/jobs/${encodeURIComponent(jobKey)}`}>← {jobKey}</Link>
      </p>
      <div className="page-head">
        <h1>Edit {job.data?.name ?? jobKey}</h1>
        {job.data && <span className="muted small">version {job.data.version}</span>}
      </div>
      {job.isLoading ? (
        <Loading rows={8} />
      ) : job.isError ? (
        <ErrorState error={job.error} retry={() => void job.refetch()} />
      ) : !can.admin ? (
        <div className="notice warn">Editing needs the admin role.</div>
      ) : job.data!.managedBy === 'config' ? (
        <div className="notice warn">This job is defined in config/jobs.yaml; change it there.</div>
      ) : (
        // Keyed by version: "reload the latest" remounts the form with the fresh definition.
        <JobForm key={job.data!.version} job={job.data!} onReload={() => void job.refetch()} />
      )}
    </main>
  );
}
