'use client';
import { Loading } from '@/components/states';
import { useIsClient } from '@/lib/time/use-viewer-zone';
import { TimelineView } from './timeline-view';

/** The timeline depends on the clock, the viewer's zone and the canvas: it renders in the browser only. */
export function TimelineClient() {
  return useIsClient() ? <TimelineView /> : <Loading rows={8} label="Loading timeline" />;
}
