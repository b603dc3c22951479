import { EditJob } from './edit-job';

export const metadata = { title: 'Edit job · Timekeeper' };

export default async function EditJobPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  return <EditJob jobKey={decodeURIComponent(key)} />;
}
