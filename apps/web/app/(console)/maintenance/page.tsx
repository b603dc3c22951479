import { WindowsView } from './windows-view';

export const metadata = { title: 'Maintenance windows · Timekeeper' };

export default function MaintenancePage() {
  return <WindowsView />;
}
