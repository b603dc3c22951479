import type { SlotPlanner } from '@timekeeper/scheduling';
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
  /**
   * Every schedule is described at least this often (spread over passes), to catch edits outside
   * Timekeeper that ListSchedules does not show (policies, action); pauses and spec changes, and a
   * schedule gone missing, show in the listing every pass.
   */
  driftCheckMs: number;
};

/** `planner`: one per process, so its zone data (probed from Temporal) is cached across passes. */
export type SweepContext = DetectorContext & { sweep: SweepSettings; planner: SlotPlanner };
