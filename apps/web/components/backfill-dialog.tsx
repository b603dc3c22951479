'use client';
import type { OverlapPolicy } from '@timekeeper/contracts';
import { OVERLAP_POLICIES } from '@/lib/contract-values';
import { useState } from 'react';
import { useBackfillJob } from '@/lib/api/jobs/backfill-job';
import { useSchedulePreview } from '@/lib/api/schedules/preview-schedule';
import type { Job } from '@/lib/api/types';
import { viewerZone } from '@/lib/time/format';
import { isSupersededRefusal } from '@/lib/runs/superseded';
import { useDebounced } from '@/lib/use-debounced';
import { Dialog } from './dialog';
import { SupersededConfirm } from './superseded-confirm';
import { useToast } from './toasts';

const PREVIEW_CAP = 200;

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** Replays the slots in a past range; the preview counts them first (up to 200, then "200+"). */
export function BackfillDialog({ job, onClose }: { job: Job; onClose: () => void }) {
  const zone = viewerZone();
  const [from, setFrom] = useState(() => localInput(Date.now() - 6 * 3_600_000));
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [overlap, setOverlap] = useState<OverlapPolicy>('allow_all');
  const backfill = useBackfillJob();
  const toast = useToast();
  const fromMs = new Date(from).getTime();
  const toMs = new Date(to).getTime();
  const rangeOk = Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs;
  const debounced = useDebounced(rangeOk ? { from: fromMs, to: toMs } : null, 300);
  const preview = useSchedulePreview(
    debounced
      ? { cron: job.schedule.cron, interval: job.schedule.interval, timezone: job.schedule.timezone, count: PREVIEW_CAP, from: new Date(debounced.from - 1).toISOString() }
      : null,
  );
  const inRange = preview.data?.items.filter((f) => {
    const t = Date.parse(f.utc);
    return debounced && t >= debounced.from && t < debounced.to;
  });
  const count = inRange?.length;
  const capped = count === PREVIEW_CAP;
  // The API's explanation of superseded slots, for the request it was given (a new range asks again).
  const request = `${fromMs}|${toMs}|${overlap}`;
  const [explained, setExplained] = useState<{ request: string; message: string } | null>(null);
  const superseded = explained?.request === request ? explained.message : null;
  const submit = () => {
    if (!rangeOk) return;
    backfill.mutate(
      { key: job.key, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), overlap, ...(superseded ? { confirmSuperseded: true } : {}) },
      {
        onSuccess: (r) => {
          toast(`Backfill of ${r.slots} slots started for ${job.key}${r.superseded ? `; ${r.superseded.count} will end as superseded` : ''}`);
          onClose();
        },
        onError: (e) => {
          if (isSupersededRefusal(e)) setExplained({ request, message: e.message });
        },
      },
    );
  };
  return (
    <Dialog
      title={`Backfill ${job.key}`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!rangeOk || backfill.isPending || count === 0 || superseded !== null} data-testid="confirm-backfill">
            {backfill.isPending ? 'Starting…' : count !== undefined ? `Backfill ${capped ? `${PREVIEW_CAP}+` : count} slots` : 'Backfill'}
          </button>
        </>
      }
    >
      {backfill.isError && !isSupersededRefusal(backfill.error) && <div className="notice error">{backfill.error.message}</div>}
      {superseded && <SupersededConfirm message={superseded} confirmLabel="Backfill anyway" pending={backfill.isPending} onCancel={onClose} />}
      <div className="fields-2">
        <div className="field">
          <label htmlFor="bf-from">From ({zone})</label>
          <input id="bf-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={!rangeOk || undefined} />
        </div>
        <div className="field">
          <label htmlFor="bf-to">To ({zone})</label>
          <input id="bf-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={!rangeOk || undefined} />
        </div>
      </div>
      <p className="small" aria-live="polite" data-testid="backfill-preview">
        {!rangeOk
          ? 'The start must be before the end.'
          : preview.isError
            ? `Preview failed: ${preview.error.message}`
            : count === undefined
              ? 'Counting slots…'
              : capped
                ? `At least ${PREVIEW_CAP} slots in this range (the API allows up to its backfill limit).`
                : `${count} slot${count === 1 ? '' : 's'} in this range (${job.schedule.timezone} schedule).`}
      </p>
      <div className="field">
        <label htmlFor="bf-overlap">Overlap while replaying</label>
        <select id="bf-overlap" value={overlap} onChange={(e) => setOverlap(e.target.value as OverlapPolicy)}>
          {OVERLAP_POLICIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <span className="help">allow_all runs the replayed slots side by side; buffer_all runs them one after another.</span>
      </div>
    </Dialog>
  );
}
