import { JobsView } from './jobs-view';

export const metadata = { title: 'Jobs · Timekeeper' };

export default function JobsPage() {
  return <JobsView />;
}
