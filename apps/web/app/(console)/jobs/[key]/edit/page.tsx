import { EditJob } from './edit-job';

export const metadata = { title: 'Edit job · Timekeeper' };

export default async function EditJobPage({ params }: { params: Promise<{ key: string }> }) {
  // Next has already decoded the segment: decoding again would turn /jobs/%25 into a URIError (a 500).
  const { key } = await params;
  return <EditJob jobKey={key} />;
}
