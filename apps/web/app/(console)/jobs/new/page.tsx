import Link from 'next/link';
import { JobForm } from '@/components/job-form';

export const metadata = { title: 'New job · Timekeeper' };

export default function NewJobPage() {
  return (
    <main className="page">
      <p style={{ margin: '0 0 8px' }} className="small">
        <Link href="/jobs">← Jobs</Link>
      </p>
      <div className="page-head">
        <h1>New job</h1>
      </div>
      <JobForm />
    </main>
  );
}
