import type { ScenarioOutcome } from './faults/context';
import type { FaultRecord, Timeline } from './faults/timeline';
import type { FaultKind, Plan } from './plan';
import type { OwnExit } from './stack/process';
import { START_FAILURE_MS } from './stack/process';
import type { Findings } from './verify';
import type { SlotRef } from './verify/slots';

/** One line of the table; a line with a target passes or fails. */
export type Line = { section: string; what: string; value: string; target?: string; pass?: boolean };

export type Report = { lines: Line[]; notes: string[]; passed: number; failed: number };

const LABEL: Record<FaultKind, string> = {
  'worker-kill': 'worker SIGKILL (restarted)',
  'lock-holder-stop': 'lock holder SIGSTOP, then SIGCONT',
  'redis-kill': 'Redis SIGKILL, restart',
  'mariadb-kill': 'MariaDB SIGKILL, restart',
  'kafka-outage': 'Kafka down',
  'temporal-restart': 'Temporal dev server restart',
  'late-retry': 'late retry of a VIP slot',
  backfill: 'overlapping VIP backfill',
};

const ms = (v: number | null) => (v === null ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const pct = (n: number, d: number) => `${n}/${d} (${d ? ((100 * n) / d).toFixed(1) : '0.0'}%)`;
const iso = (t: number) => new Date(t).toISOString();
const breakdown = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

function faultLines(plan: Plan, timeline: Timeline): Line[] {
  const lines: Line[] = [];
  for (const kind of Object.keys(LABEL) as FaultKind[]) {
    const planned = plan.faults.filter((f) => f.kind === kind).length;
    const records: FaultRecord[] = timeline.of(kind);
    if (!planned && !records.length) continue;
    const ok = records.filter((r) => r.ok);
    const failed = records.filter((r) => !r.ok);
    const detail = kind === 'worker-kill' ? `${ok.length} done` : (records[0]?.detail ?? 'never began');
    lines.push({
      section: 'faults',
      what: LABEL[kind],
      value: failed.length ? `${ok.length} done, ${failed.length} NOT INJECTED: ${failed[0].detail}` : detail,
      target: 'injected',
      pass: failed.length === 0 && ok.length >= planned,
    });
  }
  return lines;
}

const sample = (refs: SlotRef[]) =>
  refs
    .slice(0, 8)
    .map((r) => `${r.jobKey} ${iso(r.slot)}`)
    .join(', ') + (refs.length > 8 ? `, ... (${refs.length} in all)` : '');

/** Builds the table: faults as injected, then every measured figure against its target. */
export function buildReport(plan: Plan, window: { start: number }, timeline: Timeline, outcome: ScenarioOutcome, f: Findings, ownExits: OwnExit[]): Report {
  const lines: Line[] = faultLines(plan, timeline);
  const at = (t: number) => `${((t - window.start) / 1000).toFixed(1).padStart(6)} s`;
  const notes: string[] = [`fault log (seconds after the window opened at ${iso(window.start)}):`];
  for (const r of [...timeline.records].sort((a, b) => a.start - b.start)) {
    notes.push(`  ${at(r.start)} .. ${at(r.end)}  ${r.kind}${r.ok ? '' : ' NOT INJECTED'}: ${r.detail}`);
  }
  for (const e of ownExits) notes.push(`  ${at(e.at)}  ${e.app} (pid ${e.pid}) exited on its own: ${e.signal ?? `code ${e.code}`} after ${Math.round(e.livedMs / 1000)} s`);
  for (const d of f.duplicates) {
    lines.push({ section: 'duplicates', what: `${d.kind}: ${d.effect}`, value: `${d.duplicates} of ${d.keys}`, target: '0', pass: d.duplicates === 0 });
  }
  const staleSlots = new Set(f.stale.map((s) => `${s.jobKey} ${iso(s.slot)}`));
  lines.push({
    section: 'duplicates',
    what: 'latest-state: chunks an older slot committed over a newer one',
    value: f.stale.length ? `${f.stale.length} chunks of ${staleSlots.size} slots` : '0',
    target: '0',
    pass: f.stale.length === 0,
  });
  if (f.stale.length) notes.push(`older slots that committed over newer state: ${[...staleSlots].slice(0, 8).join(', ')}`);

  const s = f.slots;
  lines.push({ section: 'slots', what: 'expected (schedule fire times + backfill)', value: String(s.expected) });
  lines.push({ section: 'slots', what: 'ledger status of the expected slots', value: breakdown(s.verdicts) });
  lines.push({ section: 'slots', what: 'with a terminal verdict', value: String(s.terminal) });
  lines.push({ section: 'slots', what: 'alerted', value: String(s.alerted) });
  lines.push({ section: 'slots', what: 'lost (no verdict, no alert)', value: String(s.lost.length), target: '0', pass: s.lost.length === 0 });
  lines.push({ section: 'slots', what: 'rows stuck running', value: String(s.stuck.length), target: '0', pass: s.stuck.length === 0 });
  lines.push({ section: 'slots', what: 'verdicts failed: StaleFence (the holder was behind)', value: String(s.staleFenceVerdicts), target: '0', pass: s.staleFenceVerdicts === 0 });
  lines.push({ section: 'slots', what: 'failed verdicts by error (all slots)', value: breakdown(s.failures) });
  lines.push({
    section: 'slots',
    what: 'settled (all expected slots judged) after the window',
    value: f.settledAfterMs === null ? `not within ${plan.settleTimeoutMs / 1000} s` : ms(f.settledAfterMs),
  });
  if (s.lost.length) notes.push(`lost slots: ${sample(s.lost)}`);
  if (s.stuck.length) notes.push(`stuck running: ${sample(s.stuck)}`);

  const d = f.delivery;
  lines.push({ section: 'delivery', what: 'alerts missing from Kafka', value: `${d.alertsMissing} of ${d.alerts}`, target: '0', pass: d.alertsMissing === 0 });
  lines.push({
    section: 'delivery',
    what: 'events blocked in the outbox',
    value: `${d.blocked}${f.drained ? '' : ' (still unsent after the drain wait)'}`,
    target: '0',
    pass: d.blocked === 0,
  });
  lines.push({ section: 'delivery', what: 'outbox rows marked sent but not on Kafka', value: String(d.sentNotOnKafka), target: '0', pass: d.sentNotOnKafka === 0 });

  const l = f.latency;
  lines.push({
    section: 'kafka outage',
    what: 'chunk commit latency p99 during / outside (incl. 100 ms work)',
    value: `${ms(l.during.p99)} (n=${l.during.samples}) / ${ms(l.outside.p99)} (n=${l.outside.samples})`,
  });
  lines.push({
    section: 'kafka outage',
    what: 'ratio during / outside',
    value: l.ratio === null ? `not measurable (fewer than ${l.minSamples} samples a side)` : `${l.ratio.toFixed(2)}x`,
    target: '<= 1.5',
    pass: l.ratio !== null && l.ratio <= 1.5,
  });
  lines.push({ section: 'kafka outage', what: 'slots skipped for overlap during / outside', value: `${pct(f.skips.during.skipped, f.skips.during.expected)} / ${pct(f.skips.outside.skipped, f.skips.outside.expected)}` });

  const crashes = ownExits.filter((e) => e.livedMs >= START_FAILURE_MS);
  const failedStarts = ownExits.length - crashes.length;
  lines.push({
    section: 'apps',
    what: 'exits the run did not cause (crashes / failed starts)',
    value: `${crashes.length} / ${failedStarts}${crashes.length ? ` (${crashes.map((c) => c.app).join(', ')}; see the fault log)` : ''}`,
  });
  if (outcome.lateRetry) {
    const r = outcome.lateRetry;
    const overwrote = f.stale.filter((x) => x.jobKey === r.jobKey && iso(x.slot) === r.slot).length;
    notes.push(`late retry: ${r.jobKey} ${r.slot} retried after ${r.newerSlot} succeeded -> ${r.verdict}; chunks it committed over newer state: ${overwrote}`);
  }
  if (outcome.backfill) {
    const b = outcome.backfill;
    notes.push(`backfill: ${b.slots} slots of ${b.jobKey} over ${b.from.toISOString()} .. ${b.to.toISOString()}`);
  }
  const judged = lines.filter((x) => x.pass !== undefined);
  const passed = judged.filter((x) => x.pass).length;
  return { lines, notes, passed, failed: judged.length - passed };
}

/** The table as text: area, check, result, target, then the value (last, so a long one does not break the columns). */
export function renderReport(title: string, report: Report): string {
  const w = { section: 13, what: 64 };
  const cut = (v: string, n: number) => (v.length > n ? `${v.slice(0, n - 1)}~` : v.padEnd(n));
  const out = [title, '', `${'area'.padEnd(w.section)} ${'check'.padEnd(w.what)} result target  value`];
  out.push('-'.repeat(w.section + w.what + 40));
  for (const l of report.lines) {
    const result = l.pass === undefined ? '' : l.pass ? 'ok' : 'FAIL';
    out.push(`${l.section.padEnd(w.section)} ${cut(l.what, w.what)} ${result.padEnd(6)} ${(l.target ?? '').padEnd(7)} ${l.value}`);
  }
  if (report.notes.length) out.push('', ...report.notes);
  out.push('', `chaos: ${report.passed} targets met, ${report.failed} missed`);
  return out.join('\n');
}
