'use client';
import type { OverlapPolicy, TriggerOutcome } from '@timekeeper/contracts';
import { OVERLAP_POLICIES } from '@/lib/contract-values';
import { useState } from 'react';
import { useTriggerJob } from '@/lib/api/jobs/trigger-job';
import { Dialog } from './dialog';
import { OVERLAP_HELP } from './overlap-help';
import { useToast } from './toasts';

/** What the toast says Temporal did with the trigger (the API reads it back from the schedule). */
const OUTCOME_TEXT: Record<TriggerOutcome, (key: string) => string> = {
  started: (key) => `Started ${key}`,
  queued: (key) => `${key} is queued behind the run still going`,
  skipped: (key) => `Not started: ${key} is still running and its overlap policy skips`,
  unconfirmed: (key) => `Asked Temporal to run ${key}; it has not started yet`,
};

export function RunNowDialog({ jobKey, defaultOverlap, onClose }: { jobKey: string; defaultOverlap: OverlapPolicy; onClose: () => void }) {
  const [overlap, setOverlap] = useState<OverlapPolicy | ''>('');
  const trigger = useTriggerJob();
  const toast = useToast();
  const submit = () =>
    trigger.mutate(
      { key: jobKey, overlap: overlap || undefined },
      {
        onSuccess: (result) => {
          toast(OUTCOME_TEXT[result.outcome](jobKey));
          onClose();
        },
      },
    );
  return (
    <Dialog
      title={`Run ${jobKey} now`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={trigger.isPending} data-testid="confirm-run-now">
            {trigger.isPending ? 'Starting…' : 'Run now'}
          </button>
        </>
      }
    >
      {trigger.isError && <div className="notice error">{trigger.error.message}</div>}
      <div className="field">
        <label htmlFor="run-overlap">If a run is still going</label>
        <select id="run-overlap" value={overlap} onChange={(e) => setOverlap(e.target.value as OverlapPolicy | '')}>
          <option value="">Job&apos;s policy ({defaultOverlap})</option>
          {OVERLAP_POLICIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <span className="help">{OVERLAP_HELP[overlap || defaultOverlap]}</span>
      </div>
    </Dialog>
  );
}
