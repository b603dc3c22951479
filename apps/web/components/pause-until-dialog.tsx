'use client';
import { useState } from 'react';
import { usePauseUntil } from '@/lib/api/alerting/alerting';
import { fieldErrors } from '@/lib/api/http';
import { formatInZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';
import { Dialog } from './dialog';
import { Field } from './field';
import { useToast } from './toasts';

/** `YYYY-MM-DDTHH:mm` of a time in the browser's zone: what a datetime-local input holds. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * "Pause until …" on one job: a one-off maintenance window of that job from now (the alerting service
 * pauses its schedule and resumes it by itself at the end). Stays open with the API's error at its field.
 */
export function PauseUntilDialog({ jobKey, onClose }: { jobKey: string; onClose: () => void }) {
  const [until, setUntil] = useState(() => localInput(new Date(Date.now() + 3_600_000)));
  const [reason, setReason] = useState('');
  const mutation = usePauseUntil();
  const toast = useToast();
  const zone = useViewerZone();
  const errors = fieldErrors(mutation.error);
  const submit = () => {
    const at = new Date(until);
    if (Number.isNaN(at.getTime())) return;
    mutation.mutate(
      { key: jobKey, until: at.toISOString(), reason: reason.trim() || undefined },
      {
        onSuccess: (w) => {
          toast(`Paused ${jobKey} until ${formatInZone(w.to ?? at, zone)} (window "${w.name}")`);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog
      title={`Pause ${jobKey} until …`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="confirm-pause-until" disabled={mutation.isPending || !until}>
            Pause until then
          </button>
        </>
      }
    >
      <p className="muted" style={{ marginTop: 0 }}>
        A maintenance window of this job from now: its schedule is paused, its slots get the verdict paused, and it resumes by itself at the end.
      </p>
      <Field id="pause-until-at" label={`Until (${zone})`} error={errors.until}>
        <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} required autoFocus />
      </Field>
      <Field id="pause-until-reason" label="Reason (optional)" error={errors.reason}>
        <input type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. upstream DB migration" />
      </Field>
      {mutation.isError && !Object.keys(errors).length && (
        <div className="notice error" role="alert">
          Not paused: {mutation.error.message}
        </div>
      )}
    </Dialog>
  );
}
