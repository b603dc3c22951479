import { useSyncExternalStore } from 'react';
import { viewerZone } from './format';

const noop = () => () => {};

/** The browser's zone; UTC while server-rendering, so hydration never disagrees. */
export const useViewerZone = () => useSyncExternalStore(noop, viewerZone, () => 'UTC');

/** False on the server and during hydration, true after: for views that only make sense in a browser. */
export const useIsClient = () => useSyncExternalStore(noop, () => true, () => false);
