import { Suspense } from 'react';
import { AlertsView } from './alerts-view';

export const metadata = { title: 'Alerts · Timekeeper' };

// The view reads its filters from the URL (useSearchParams), which needs a Suspense boundary.
export default function AlertsPage() {
  return (
    <Suspense>
      <AlertsView />
    </Suspense>
  );
}
