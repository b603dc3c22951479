/**
 * Issue 12's proof: what the compiled schedules fire around both clock changes of 2027, per
 * Temporal's own matcher (ListScheduleMatchingTimes over the transition windows of the real main
 * schedule and its companion), equals an independent computation of the DST policy: plain zoned
 * wall-clock arithmetic written here, with Intl and none of the code under test. Zero differences,
 * for every zone x cron x policy. The planner's expectedSlots (previews, next-runs, the ledger) is
 * held to the same answer.
 */
import type { Client, ScheduleSpec } from '@temporalio/client';
import type { DstPolicy } from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { checkCron } from './cron';
import type { DesiredSchedule } from './desired-schedule';
import { SlotPlanner } from './expected-slots';
import { matchingTimesBetween } from './matching-times';
import { dstScheduleBody, scheduleBody } from './schedule-options';
import { useTemporalClient } from './testing/temporal-client';
import { withPreviewSchedule } from './throwaway-schedule';
import { TemporalZones } from './zone-data';

const client = useTemporalClient();

const ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute change
  'Pacific/Auckland',
  'Pacific/Chatham', // +12:45 / +13:45
  'America/New_York',
  'America/Santiago', // midnight changes
  'America/Havana', // midnight changes
  'Antarctica/Troll', // a 2-hour change
];
const CRONS = ['*/5 * * * *', '0 * * * *', '30 1 * * *', '30 2 * * *', '0 0 * * *', '*/10 0-3 * * *'];
const POLICIES: DstPolicy[] = (['first', 'last', 'both'] as const).flatMap((repeated) => (['shift', 'skip'] as const).map((missing) => ({ repeated, missing })));
const YEAR = 2027;
const MINUTE = 60_000;
const HOUR = 3_600_000;
// Compared on each side of a change: twice the window Timekeeper takes over (the changed hours + 2 h).
const SPAN = 8 * HOUR;
// Where the planner's own listing (previews, next-runs, ledger) is held to the same answer too: every
// cron under the default policy, and the other policies on the change each one is about.
const PREVIEW_ZONES = new Set(['Australia/Lord_Howe']);
const previewRanges = (dst: DstPolicy, ranges: [number, number][], changes: number[], tz: string) => {
  if (dst.repeated === 'first' && dst.missing === 'shift') return ranges;
  const springFirst = wallMinute(changes[0], tz) * MINUTE - changes[0] > wallMinute(changes[0] - HOUR, tz) * MINUTE - (changes[0] - HOUR);
  const [spring, autumn] = springFirst ? ranges : [ranges[1], ranges[0]];
  if (dst.missing === 'skip' && dst.repeated === 'first') return [spring];
  if (dst.missing === 'shift' && dst.repeated !== 'first') return [autumn];
  return [];
};

// ---- the independent computation: Intl, a minute at a time ----

const parts = new Map<string, Intl.DateTimeFormat>();
/** The zone's wall clock at an instant, as minutes since the epoch of a UTC-encoded wall. */
function wallMinute(instant: number, tz: string): number {
  let f = parts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    parts.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(instant)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) / MINUTE;
}

/** Minute and hour fields of the crons above ("*", "n", "*\/n", "a-b"); the day fields are all "*". */
function namedByCron(cron: string, wallMin: number): boolean {
  const [minute, hour] = cron.split(' ');
  const d = new Date(wallMin * MINUTE);
  const match = (field: string, v: number) =>
    field.split(',').some((item) => {
      const [base, step] = item.split('/');
      const [lo, hi] = base === '*' ? [0, 99] : base.includes('-') ? base.split('-').map(Number) : [Number(base), step ? 99 : Number(base)];
      return v >= lo && v <= hi && (v - lo) % Number(step ?? 1) === 0;
    });
  return match(minute, d.getUTCMinutes()) && match(hour, d.getUTCHours());
}

/** The fire instants (ms) in [lo, hi] by the policy. */
function expectedByHand(tz: string, cron: string, policy: DstPolicy, lo: number, hi: number): number[] {
  const out = new Set<number>();
  const instantsOfWall = new Map<number, number[]>();
  let previousWall: number | undefined;
  for (let t = lo; t <= hi; t += MINUTE) {
    const w = wallMinute(t, tz);
    instantsOfWall.set(w, [...(instantsOfWall.get(w) ?? []), t]);
    // Clocks jumped: the wall minutes in between never happen; "shift" runs them at this instant.
    if (previousWall !== undefined && w > previousWall + 1 && policy.missing === 'shift') {
      for (let missing = previousWall + 1; missing < w; missing++) if (namedByCron(cron, missing)) out.add(t);
    }
    previousWall = w;
  }
  for (const [w, instants] of instantsOfWall) {
    if (!namedByCron(cron, w)) continue;
    if (instants.length === 1 || policy.repeated === 'both') instants.forEach((t) => out.add(t));
    else out.add(policy.repeated === 'first' ? instants[0] : instants[instants.length - 1]);
  }
  return [...out].sort((a, b) => a - b);
}

/** The year's clock changes by Intl: offsets sampled every 15 minutes (every real change lies on such a boundary). */
function transitionsByHand(tz: string): number[] {
  const out: number[] = [];
  let previous = wallMinute(Date.UTC(YEAR, 0, 1), tz) * MINUTE - Date.UTC(YEAR, 0, 1);
  for (let t = Date.UTC(YEAR, 0, 1); t < Date.UTC(YEAR + 1, 0, 1); t += 15 * MINUTE) {
    const offset = wallMinute(t, tz) * MINUTE - t;
    if (offset !== previous) out.push(t);
    previous = offset;
  }
  return out;
}

// ---- Timekeeper: the schedules it writes, as Temporal matches them ----

function desired(tz: string, cron: string, windows: DesiredSchedule['dstWindows']): DesiredSchedule {
  const check = checkCron(cron);
  if (!check.ok) throw new Error(check.message);
  return {
    scheduleId: 'tk-proof',
    dstScheduleId: 'tk-proof.dst',
    jobKey: 'proof',
    instance: 'proof',
    temporalCron: check.temporalCron,
    intervalMs: null,
    timezone: tz,
    dstWindows: windows,
    jitterMs: 0,
    overlapPolicy: 'skip',
    catchupWindowMs: 60_000,
    paused: true,
    pauseNote: null,
    runTimeoutMs: 60_000,
    taskQueue: 'tk-proof',
    input: {} as DesiredSchedule['input'],
  };
}

let schedulesCreated = 0;
async function fired(c: Client, spec: ScheduleSpec, ranges: [number, number][]): Promise<number[]> {
  schedulesCreated++;
  return withPreviewSchedule(c, spec, 'tk-proof', async (id) => {
    const out: number[] = [];
    for (const [lo, hi] of ranges) out.push(...(await matchingTimesBetween(c, id, lo - 1000, hi)));
    return out;
  });
}

/** Runs `fn` over items, `width` at a time (the Temporal dev server is shared). */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());

describe(`clock changes of ${YEAR}: compiled schedules vs wall-clock arithmetic`, () => {
  it(`${ZONES.length} zones x ${CRONS.length} crons x ${POLICIES.length} policies: 0 differences`, { timeout: 240_000 }, async () => {
    const zones = new TemporalZones(client(), { taskQueue: 'tk-proof' });
    const planner = new SlotPlanner(client(), { taskQueue: 'tk-proof', zones });
    const differences: string[] = [];
    const stats = { combos: 0, windows: 0, slots: 0, companionSlots: 0, previews: 0 };

    await pool(ZONES, 6, async (tz) => {
      const changes = transitionsByHand(tz);
      expect(changes, `${tz} changes clocks twice in ${YEAR}`).toHaveLength(2);
      const ranges = changes.map((t) => [t - SPAN, t + SPAN] as [number, number]);
      for (const cron of CRONS) {
        // The main schedule does not depend on the policy (its skips are the windows' wall ranges).
        const plans = await Promise.all(POLICIES.map((dst) => planner.plan({ cron, timezone: tz, dst }, new Date(Date.UTC(YEAR, 5, 1)))));
        const main = await fired(client(), scheduleBody(desired(tz, cron, plans[0].windows)).spec, ranges);
        const companions = new Map<string, Promise<number[]>>();
        for (const [k, dst] of POLICIES.entries()) {
          const companion = dstScheduleBody(desired(tz, cron, plans[k].windows));
          const key = JSON.stringify(companion?.spec ?? null);
          if (!companions.has(key)) companions.set(key, companion ? fired(client(), companion.spec, [[Date.UTC(YEAR, 0, 1), Date.UTC(YEAR + 1, 0, 1)]]) : Promise.resolve([]));
          const companionTimes = (await companions.get(key)!).filter((t) => ranges.some(([lo, hi]) => t >= lo && t <= hi));
          const actual = iso([...main, ...companionTimes].sort((a, b) => a - b));
          const expected = iso(ranges.flatMap(([lo, hi]) => expectedByHand(tz, cron, dst, lo, hi)));
          const label = `${tz} "${cron}" ${dst.repeated}/${dst.missing}`;
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            differences.push(`${label}: missing ${expected.filter((t) => !actual.includes(t)).join(' ') || '-'}; extra ${actual.filter((t) => !expected.includes(t)).join(' ') || '-'}; duplicated ${actual.length - new Set(actual).size}`);
          }
          // Preview = execution: the planner lists the same fire times (and only adds skipped slots).
          if (PREVIEW_ZONES.has(tz)) {
            for (const [lo, hi] of previewRanges(dst, ranges, changes, tz)) {
              const slots = await planner.expectedSlots({ cron, timezone: tz, dst }, { from: new Date(lo), to: new Date(hi) });
              const listed = slots.filter((s) => s.status === 'fires').map((s) => s.utc);
              const want = iso(expectedByHand(tz, cron, dst, lo, hi));
              if (JSON.stringify(listed) !== JSON.stringify(want)) differences.push(`${label}: expectedSlots lists ${listed.length} fire times near ${new Date(lo + SPAN).toISOString()}, the policy has ${want.length}`);
              stats.previews++;
            }
          }
          stats.combos++;
          stats.windows += plans[k].windows.filter((w) => w.transitions.some((tr) => changes.includes(tr.at))).length;
          stats.slots += expected.length;
          stats.companionSlots += companionTimes.length;
        }
      }
    });

    console.log(
      `dst proof: ${stats.combos} combinations, ${stats.windows} windows, ${stats.slots} fire times compared (${stats.companionSlots} carried by companions), ` +
        `${schedulesCreated} schedules listed, ${stats.previews} previews checked, ${differences.length} differences`,
    );
    expect(differences).toEqual([]);
    // The comparison means something: it covered every combination and many clock-change slots.
    expect(stats.combos).toBe(ZONES.length * CRONS.length * POLICIES.length);
    expect(stats.companionSlots).toBeGreaterThan(1000);
  });

  it('the main schedule answers the same whatever instant Temporal starts matching from (it wakes up at any time)', { timeout: 120_000 }, async () => {
    const planner = new SlotPlanner(client(), { taskQueue: 'tk-proof', zones: new TemporalZones(client(), { taskQueue: 'tk-proof' }) });
    const cron = '*/5 * * * *';
    const dst: DstPolicy = { repeated: 'first', missing: 'shift' };
    const differences: string[] = [];
    let starts = 0;
    await pool(ZONES, 4, async (tz) => {
      const changes = transitionsByHand(tz);
      const plan = await planner.plan({ cron, timezone: tz, dst }, new Date(Date.UTC(YEAR, 5, 1)));
      const windows = plan.windows.filter((w) => w.transitions.some((tr) => changes.includes(tr.at)));
      const spec = scheduleBody(desired(tz, cron, plan.windows)).spec;
      const companion = new Set(windows.flatMap((w) => w.slots.filter((x) => x.fires).map((x) => x.at)));
      await withPreviewSchedule(client(), spec, 'tk-proof', async (id) => {
        for (const change of changes) {
          const end = change + 4 * HOUR;
          // What the main schedule must fire after `start`: the policy's times that the companion does not carry.
          const all = expectedByHand(tz, cron, dst, change - 5 * HOUR, end).filter((t) => !companion.has(t));
          for (let start = change - 4 * HOUR + 7 * MINUTE; start < change + 3 * HOUR; start += HOUR) {
            const got = iso(await matchingTimesBetween(client(), id, start, end));
            const want = iso(all.filter((t) => t > start));
            if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${tz} from ${new Date(start).toISOString()}: got ${got.slice(0, 3).join(' ')}…, want ${want.slice(0, 3).join(' ')}…`);
            starts++;
          }
        }
      });
    });
    console.log(`dst proof: ${starts} starting instants checked, ${differences.length} differences`);
    expect(differences).toEqual([]);
  });

  it('the independent computation is not the code under test: it disagrees with Temporal on a bare schedule', { timeout: 30_000 }, async () => {
    // Temporal 1.32 on its own: London "*\/5" on the autumn change fires 00:00Z, 01:05Z, 02:10Z.
    const [, autumn] = transitionsByHand('Europe/London');
    const bare = await fired(client(), { cronExpressions: ['*/5 * * * *'], timezone: 'Europe/London' }, [[autumn - HOUR, autumn + 2 * HOUR]]);
    const clock = (ts: number[]) => ts.map((t) => new Date(t).toISOString().slice(11, 16)).join(' ');
    expect(clock(bare)).toBe('00:00 01:05 02:10 02:15 02:20 02:25 02:30 02:35 02:40 02:45 02:50 02:55 03:00');
    const byHand = expectedByHand('Europe/London', '*/5 * * * *', { repeated: 'both', missing: 'shift' }, autumn - HOUR, autumn + 2 * HOUR);
    // 00:00Z-00:55Z (01:xx BST), 01:00Z-01:55Z (01:xx GMT), 02:00Z-03:00Z: 37 slots, of which Temporal fires 13.
    expect(byHand).toHaveLength(37);
  });
});
