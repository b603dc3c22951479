import type { ChaosOptions } from './config';

export type FaultKind =
  | 'worker-kill'
  | 'lock-holder-stop'
  | 'redis-kill'
  | 'kafka-outage'
  | 'mariadb-kill'
  | 'temporal-restart'
  | 'late-retry'
  | 'backfill';

/**
 * One fault, `atMs` after the fault window opens, and (with `after`) not before `gapMs` after that
 * fault has ended; `durationMs` for the ones that last (SIGSTOP, Kafka down).
 */
export type PlannedFault = { kind: FaultKind; atMs: number; durationMs?: number; after?: { kind: FaultKind; gapMs: number } };

export type Plan = {
  name: 'short' | 'full';
  /** The window lasts at least this long, and closes `tailMs` after its last fault has ended. */
  windowMs: number;
  tailMs: number;
  faults: PlannedFault[];
  /** After the window: how long every expected slot may take to reach a verdict or an alert. */
  settleTimeoutMs: number;
  /** Then: how long the outbox may take to hand every older event to Kafka. */
  drainTimeoutMs: number;
  seed: { users: number; orders: number };
};

/** A small seeded generator (mulberry32), so a seed replays the same choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const s = (seconds: number) => Math.round(seconds * 1000);

/** A random worker SIGKILLed every ~20 s (15-25 s apart) over [fromMs, toMs). */
function workerKills(fromMs: number, toMs: number, random: () => number): PlannedFault[] {
  const out: PlannedFault[] = [];
  for (let at = fromMs; at < toMs; at += s(15 + random() * 10)) out.push({ kind: 'worker-kill', atMs: at });
  return out;
}

/**
 * The short form (npm test): every kind of fault once, in about two minutes. The late retry goes
 * first, alone but for its own worker kill (the other faults could keep a newer VIP slot from
 * succeeding, and the retry is only late once one has): that is also the baseline of the commit
 * latency. Then Kafka is down for 60 s with the backfill and one more worker kill; the SIGSTOP and
 * the Redis, MariaDB and Temporal faults follow it, overlapping each other.
 */
function shortPlan(): Plan {
  const afterRetry = (gapS: number) => ({ kind: 'late-retry' as const, gapMs: s(gapS) });
  const afterKafka = (gapS: number) => ({ kind: 'kafka-outage' as const, gapMs: s(gapS) });
  return {
    name: 'short',
    windowMs: 0,
    tailMs: s(5),
    faults: [
      { kind: 'late-retry', atMs: 0 },
      { kind: 'kafka-outage', atMs: s(25), durationMs: s(60), after: afterRetry(0) },
      { kind: 'backfill', atMs: 0, after: afterRetry(5) },
      { kind: 'worker-kill', atMs: 0, after: afterRetry(30) },
      { kind: 'lock-holder-stop', atMs: 0, durationMs: s(20), after: afterKafka(0) },
      { kind: 'redis-kill', atMs: 0, after: afterKafka(3) },
      { kind: 'worker-kill', atMs: 0, after: afterKafka(8) },
      { kind: 'mariadb-kill', atMs: 0, after: afterKafka(11) },
      { kind: 'temporal-restart', atMs: 0, after: afterKafka(18) },
    ],
    settleTimeoutMs: s(100),
    drainTimeoutMs: s(60),
    seed: { users: 20_000, orders: 150_000 },
  };
}

/** The full form: faults spread over `minutes`, one at a time apart from the worker kills, which never stop. */
function fullPlan(minutes: number, random: () => number): Plan {
  const w = s(minutes * 60);
  const at = (fraction: number) => Math.round(w * fraction);
  const kafkaDown = Math.min(s(120), Math.max(s(60), Math.round(w * 0.19)));
  // Redis and the backfill would keep the late retry's newer slot from succeeding: they wait for it.
  const afterRetry = { kind: 'late-retry' as const, gapMs: s(2) };
  const faults: PlannedFault[] = [
    { kind: 'late-retry', atMs: at(0.03) },
    { kind: 'lock-holder-stop', atMs: at(0.1), durationMs: s(25) },
    { kind: 'redis-kill', atMs: at(0.24), after: afterRetry },
    { kind: 'backfill', atMs: at(0.31), after: afterRetry },
    { kind: 'kafka-outage', atMs: at(0.38), durationMs: kafkaDown },
    { kind: 'mariadb-kill', atMs: at(0.66) },
    { kind: 'temporal-restart', atMs: at(0.8) },
    ...workerKills(s(10), w - s(10), random),
  ];
  return {
    name: 'full',
    windowMs: w,
    tailMs: s(5),
    faults: faults.sort((a, b) => a.atMs - b.atMs),
    settleTimeoutMs: s(180),
    drainTimeoutMs: s(90),
    seed: { users: 20_000, orders: 150_000 },
  };
}

export function makePlan(options: ChaosOptions, random: () => number): Plan {
  return options.short ? shortPlan() : fullPlan(options.minutes, random);
}
