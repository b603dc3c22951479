import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { TimelineView } from './timeline-view';

export const metadata = { title: 'Timeline · Timekeeper' };

export default function TimelinePage() {
  return (
    <Suspense fallback={<Loading />}>
      <TimelineView />
    </Suspense>
  );
}
