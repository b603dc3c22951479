import { say } from '../log';
import type { FaultKind, Plan, PlannedFault } from '../plan';
import { sleep } from '../wait';
import type { FaultContext } from './context';
import { killRandomWorker, stopLockHolder } from './processes';
import { overlappingBackfill, lateRetry } from './scenarios';
import { crashAndRestart, kafkaOutage, restartTemporal } from './services';

const ACTIONS: Record<FaultKind, (ctx: FaultContext, f: PlannedFault) => Promise<string>> = {
  'worker-kill': (ctx) => killRandomWorker(ctx),
  'lock-holder-stop': (ctx, f) => stopLockHolder(ctx, f.durationMs ?? 20_000),
  'redis-kill': (ctx) => crashAndRestart(ctx, 'redis'),
  'mariadb-kill': (ctx) => crashAndRestart(ctx, 'mariadb'),
  'kafka-outage': (ctx, f) => kafkaOutage(ctx, f.durationMs ?? 60_000),
  'temporal-restart': (ctx) => restartTemporal(ctx),
  'late-retry': (ctx) => lateRetry(ctx),
  backfill: (ctx) => overlappingBackfill(ctx),
};

/**
 * Injects the plan's faults, each at its offset or after the fault it waits for (several may be
 * under way at once), and returns the window: from its opening to `tailMs` after the last fault
 * ended (at least `windowMs`). Slots are expected up to its end.
 */
export async function runPlan(ctx: FaultContext, plan: Plan): Promise<{ start: number; end: number }> {
  const start = Date.now();
  say(`fault window opens: ${plan.faults.length} faults`);
  // The first planned fault of each kind: what `after` waits for.
  const ended = new Map<FaultKind, Promise<void>>();
  const first = new Map<FaultKind, () => void>();
  for (const f of plan.faults) {
    if (!ended.has(f.kind)) ended.set(f.kind, new Promise<void>((resolve) => first.set(f.kind, resolve)));
  }
  await Promise.all([
    ...plan.faults.map(async (f) => {
      await sleep(start + f.atMs - Date.now());
      if (f.after) {
        await ended.get(f.after.kind);
        await sleep(f.after.gapMs);
      }
      say(`fault ${f.kind} begins`);
      const r = await ctx.timeline.track(f.kind, () => ACTIONS[f.kind](ctx, f));
      say(`fault ${f.kind} ${r.ok ? 'done' : 'NOT INJECTED'}: ${r.detail}`);
      first.get(f.kind)?.();
    }),
    sleep(plan.windowMs),
  ]);
  await sleep(plan.tailMs);
  const end = Date.now();
  say(`fault window closed after ${((end - start) / 1000).toFixed(0)} s`);
  return { start, end };
}
