import type { DetectorContext } from '../detectors/context';

/** The sweeper's settings (from the alerting config). */
export type SweepSettings = {
  /** Slots are planned this far ahead. */
  planHorizonMs: number;
  /** At most this many planned rows per job per fill (a seconds-level cron would otherwise plan thousands). */
  planMaxSlots: number;
  /** A job's first plan reaches at most this far back (an upgrade must not judge months of history). */
  firstPlanLookbackMs: number;
  /** Open rows are re-scanned by nominal time this far back. */
  windowMs: number;
  /** A running (or started, unrecorded) run's workflow is described at most this often. */
  recheckMs: number;
  /** Jobs swept at once (each costs a few Temporal calls). */
  concurrency: number;
};

export type SweepContext = DetectorContext & { sweep: SweepSettings };
