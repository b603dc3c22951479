// Runs after tsc: bundles the workflows once so workers start without webpack.
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '@timekeeper/jobs';
import { BUNDLE_PATH } from './workflow-bundle';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error } });
  await writeFile(BUNDLE_PATH, code);
  process.stdout.write(`workflow bundle written to ${BUNDLE_PATH} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
