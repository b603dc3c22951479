import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { TimelineClient } from './timeline-client';

export const metadata = { title: 'Timeline · Timekeeper' };

export default function TimelinePage() {
  return (
    <Suspense fallback={<Loading />}>
      <TimelineClient />
    </Suspense>
  );
}
