'use client';
import { useState } from 'react';
import { useSetPaused } from '@/lib/api/jobs/set-paused';
import { Dialog } from './dialog';
import { useToast } from './toasts';

/** Pause or resume one job or several, with an optional note for the audit trail. Applied optimistically. */
export function PauseDialog({ jobKeys, pause, onClose, onDone }: { jobKeys: string[]; pause: boolean; onClose: () => void; onDone?: () => void }) {
  const [note, setNote] = useState('');
  const mutation = useSetPaused();
  const toast = useToast();
  const verb = pause ? 'Pause' : 'Resume';
  const what = jobKeys.length === 1 ? jobKeys[0] : `${jobKeys.length} jobs`;
  const submit = () => {
    onClose();
    void Promise.allSettled(jobKeys.map((key) => mutation.mutateAsync({ key, paused: pause, note: note.trim() || undefined }))).then((results) => {
      const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      if (failed.length) {
        const reason = failed[0].reason instanceof Error ? failed[0].reason.message : 'refused';
        toast(`${verb} failed for ${failed.length} of ${jobKeys.length}: ${reason}`, 'error');
      } else {
        toast(`${pause ? 'Paused' : 'Resumed'} ${what}`);
      }
      onDone?.();
    });
  };
  return (
    <Dialog
      title={`${verb} ${what}`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="confirm-pause">
            {verb}
          </button>
        </>
      }
    >
      <p className="muted" style={{ marginTop: 0 }}>
        {pause ? 'No new slots start while paused; a running slot finishes.' : 'Slots start again from the next fire time; missed ones are not replayed.'}
      </p>
      <div className="field">
        <label htmlFor="pause-note">Note (optional)</label>
        <input id="pause-note" type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={pause ? 'e.g. Upstream DB maintenance until 14:00' : ''} autoFocus />
        <span className="help">Kept in the audit log{pause ? ' and shown on the paused badge' : ''}.</span>
      </div>
    </Dialog>
  );
}
