// Root query keys: every queryOptions factory builds on these, and mutations invalidate through them.
export const keys = {
  me: ['me'] as const,
  kinds: ['kinds'] as const,
  jobs: ['jobs'] as const,
  jobLists: () => [...keys.jobs, 'list'] as const,
  job: (key: string) => [...keys.jobs, 'detail', key] as const,
  nextRuns: (key: string) => [...keys.jobs, 'next-runs', key] as const,
  nextRunsOf: () => [...keys.jobs, 'next-runs-of'] as const,
  runs: ['runs'] as const,
  alerts: ['alerts'] as const,
  // Not under `jobs`: a job change (pause, edit) cancels and refetches those; the baseline is the ledger's.
  baselines: ['baseline'] as const,
  baseline: (key: string) => [...keys.baselines, key] as const,
  alertRoutes: ['alert-routes'] as const,
  windows: ['maintenance-windows'] as const,
  policies: ['alert-policies'] as const,
  audit: ['audit'] as const,
  schedulePreview: ['schedule-preview'] as const,
};
