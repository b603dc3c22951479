import { PoliciesView } from './policies-view';

export const metadata = { title: 'Alert policies · Timekeeper' };

export default function AlertPoliciesPage() {
  return <PoliciesView />;
}
