import { AlertsView } from './alerts-view';

export const metadata = { title: 'Alerts · Timekeeper' };

export default function AlertsPage() {
  return <AlertsView />;
}
