import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workflowsPath } from '@timekeeper/jobs';

/** Where `pnpm build` writes the prebuilt workflow bundle (see build-bundle.ts). */
export const BUNDLE_PATH = join(__dirname, 'workflows.bundle.js');

/**
 * Production loads the prebuilt bundle (fast start, same code on every pod); without one, as in
 * watch mode, the worker bundles from source at start.
 */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  return existsSync(BUNDLE_PATH) ? { workflowBundle: { codePath: BUNDLE_PATH } } : { workflowsPath };
}
