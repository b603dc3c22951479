import { AuditView } from './audit-view';

export const metadata = { title: 'Audit log · Timekeeper' };

export default function AuditPage() {
  return <AuditView />;
}
