export * from './lock/redis';
export { createSmokeActivities } from './activities/smoke';
/** Path of the workflows entry, for Worker.create({ workflowsPath }) and bundleWorkflowCode. */
export const workflowsPath = require.resolve('./workflows');
