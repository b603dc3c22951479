'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useDeleteJob } from '@/lib/api/jobs/delete-job';
import { Dialog } from './dialog';
import { useToast } from './toasts';

/** Deleting removes the Temporal schedule too, so it asks for the key to be typed. */
export function DeleteDialog({ jobKey, onClose }: { jobKey: string; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const del = useDeleteJob();
  const router = useRouter();
  const toast = useToast();
  const ok = typed === jobKey;
  const submit = () => {
    if (!ok) return;
    del.mutate(jobKey, {
      onSuccess: () => {
        toast(`Deleted ${jobKey}`);
        onClose();
        router.push('/jobs');
      },
    });
  };
  return (
    <Dialog
      title={`Delete ${jobKey}?`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="btn danger solid" disabled={!ok || del.isPending} data-testid="confirm-delete">
            {del.isPending ? 'Deleting…' : 'Delete job'}
          </button>
        </>
      }
    >
      {del.isError && <div className="notice error">{del.error.message}</div>}
      <p style={{ marginTop: 0 }}>The definition and its Temporal schedule are removed. Past runs stay in Temporal and the audit log.</p>
      <div className="field">
        <label htmlFor="delete-confirm">
          Type <code>{jobKey}</code> to confirm
        </label>
        <input id="delete-confirm" type="text" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
      </div>
    </Dialog>
  );
}
