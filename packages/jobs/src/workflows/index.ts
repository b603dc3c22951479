// The workflow bundle's entry point: every workflow type the worker registers.
export { smokeWorkflow } from './smoke';
export { runJob } from './run-job';
export type { RunSummary } from './run-job';
