import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { JobDetail } from './job-detail';

export const metadata = { title: 'Job · Timekeeper' };

export default async function JobPage({ params }: { params: Promise<{ key: string }> }) {
  // Next has already decoded the segment: decoding again would turn /jobs/%25 into a URIError (a 500).
  const { key } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <JobDetail jobKey={key} />
    </Suspense>
  );
}
