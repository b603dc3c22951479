import { SLOT_SUPERSEDED_ERROR, type RunView } from '@timekeeper/contracts';
import { TERMINAL_SLOT_STATUSES } from '@timekeeper/db';
import { say } from '../log';
import { jobWithRole } from '../workload/jobs';
import { waitFor, waitOrThrow } from '../wait';
import type { FaultContext } from './context';
import { findHolder, killAndRestart, type Progress } from './holders';

const terminal = (status: string) => (TERMINAL_SLOT_STATUSES as readonly string[]).includes(status);

/**
 * An operator's retry or backfill: if the API answers 409 slot_superseded (latest-state slots a newer
 * committed slot supersedes), note what it said and confirm, as the console's confirm step does, so
 * the workers' own guard is exercised too.
 */
async function startConfirming<T>(ctx: FaultContext, path: string, body: Record<string, unknown> | undefined): Promise<{ body: T; explained: string | null }> {
  const first = await ctx.api.call<T & { error?: string; message?: string }>('POST', path, body);
  if (first.status === 202) return { body: first.body, explained: null };
  if (first.status !== 409 || first.body.error !== SLOT_SUPERSEDED_ERROR) {
    throw new Error(`POST ${path} answered ${first.status}: ${JSON.stringify(first.body).slice(0, 300)}`);
  }
  const confirmed = await ctx.api.expect<T>([202], 'POST', path, { ...body, confirmSuperseded: true });
  return { body: confirmed.body, explained: first.body.message ?? SLOT_SUPERSEDED_ERROR };
}
/** The ledger's row for one slot of a job, through the API (from inclusive, to exclusive). */
async function slotRow(ctx: FaultContext, jobKey: string, slot: string): Promise<RunView | null> {
  const to = new Date(new Date(slot).getTime() + 1).toISOString();
  const res = await ctx.api.call<{ items: RunView[] }>('GET', `/v1/jobs/${jobKey}/runs?from=${slot}&to=${to}&limit=5`, undefined, 10_000);
  return res.body.items.find((r) => r.source === 'ledger' && r.slot === slot) ?? null;
}

/**
 * Monday's run retried after Tuesday's succeeded: a VIP slot is left half done (its worker SIGKILLed
 * mid-run; one attempt per slot, so the slot times out with chunks still to do), a newer slot then
 * succeeds, and only then does an operator press Retry on the old one. Were it to finish its chunks,
 * the old spend window would overwrite the newer tiers.
 */
export async function lateRetry(ctx: FaultContext): Promise<string> {
  const job = jobWithRole('late-retry');
  const deadline = Date.now() + 150_000;
  let victim: { slot: string; workflowId: string; chunk: number; status: string } | null = null;
  while (!victim && Date.now() < deadline) {
    const holder = await findHolder(ctx, job.key, (p) => p.cursor !== null, deadline - Date.now());
    if (!holder) break;
    const start = Date.now();
    const detail = await killAndRestart(holder.worker);
    ctx.timeline.add({ kind: 'worker-kill', start, end: Date.now(), ok: true, detail: `${detail} (it held ${job.key} ${holder.run.slot})` });
    say(`late retry: ${detail} while it held ${job.key} ${holder.run.slot} after chunk ${holder.run.progress.chunk}`);
    const closed = await waitOrThrow(`a verdict for ${job.key} ${holder.run.slot}`, async () => {
      const row = await slotRow(ctx, job.key, holder.run.slot);
      return row && terminal(row.status) ? row : null;
    }, 90_000, 500);
    const left = closed.progress as Progress | null;
    if (closed.status !== 'succeeded' && left && left.cursor !== null && closed.workflowId) {
      victim = { slot: closed.slot, workflowId: closed.workflowId, chunk: left.chunk, status: closed.status };
    } else {
      say(`late retry: ${job.key} ${closed.slot} ended ${closed.status} with its chunks done; trying the next slot`);
    }
  }
  if (!victim) throw new Error(`no ${job.key} slot could be left half done within 150 s`);
  const v = victim;

  const newer = await waitOrThrow(`a ${job.key} slot newer than ${v.slot} succeeding`, async () => {
    const res = await ctx.api.call<{ items: RunView[] }>('GET', `/v1/jobs/${job.key}/runs?status=succeeded&limit=5`, undefined, 10_000);
    return res.body.items.find((r) => r.slot > v.slot) ?? null;
  }, 120_000, 1_000);

  const retry = await startConfirming<{ workflowId: string }>(ctx, `/v1/runs/${encodeURIComponent(v.workflowId)}/retry`, undefined);
  if (retry.explained) say(`late retry: the API explained "${retry.explained}"; confirmed`);
  const retryId = retry.body.workflowId;
  const done = await waitFor(async () => {
    const row = await slotRow(ctx, job.key, v.slot);
    return row && row.workflowId === retryId && terminal(row.status) ? row : null;
  }, 120_000, 500);
  const verdict = done ? `${done.status}${done.errorType ? ` (${done.errorType})` : ''}` : 'no verdict within 120 s';
  ctx.outcome.lateRetry = { jobKey: job.key, slot: v.slot, killedAfterChunk: v.chunk, newerSlot: newer.slot, retryWorkflowId: retryId, verdict };
  const explained = retry.explained ? `; the API first explained: ${retry.explained}` : '';
  return `${job.key} ${v.slot} (worker killed after chunk ${v.chunk}: ${v.status}) retried after ${newer.slot} succeeded: ${verdict}${explained}`;
}

/**
 * A backfill of the VIP job from before its first slot to now with overlap allow_all: every slot of
 * the range starts at once, the old ones next to newer ones that already committed.
 */
export async function overlappingBackfill(ctx: FaultContext): Promise<string> {
  const job = jobWithRole('late-retry');
  const from = new Date(ctx.since.get(job.key)!.getTime() - 4 * job.intervalMs);
  const to = new Date();
  const res = await startConfirming<{ slots: number }>(ctx, `/v1/jobs/${job.key}/backfill`, {
    from: from.toISOString(),
    to: to.toISOString(),
    overlap: 'allow_all',
  });
  ctx.outcome.backfill = { jobKey: job.key, from, to, slots: res.body.slots };
  const explained = res.explained ? `; the API first explained: ${res.explained}` : '';
  return `${job.key} backfilled ${res.body.slots} slots over ${from.toISOString()} .. ${to.toISOString()} (allow_all)${explained}`;
}
