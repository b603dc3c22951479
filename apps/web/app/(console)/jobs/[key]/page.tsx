import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { JobDetail } from './job-detail';

export const metadata = { title: 'Job · Timekeeper' };

export default async function JobPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <JobDetail jobKey={decodeURIComponent(key)} />
    </Suspense>
  );
}
