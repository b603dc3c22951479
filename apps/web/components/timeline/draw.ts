import { VERDICT_COLOR } from '@/lib/runs/status';
import { rowBars, ticks, timeToX, visibleRows, type View } from '@/lib/timeline/layout';
import { CODE, VERDICTS, type Row } from '@/lib/timeline/model';
import { formatInZone } from '@/lib/time/format';

export const AXIS_H = 28;
export const ROW_H = 26;

const COLORS = VERDICTS.map((v) => VERDICT_COLOR[v]);

export type DrawInput = {
  rows: Row[];
  view: View;
  height: number;
  scrollTop: number;
  now: number;
  zone: string;
  zoneOffset: number;
};

/** Draws the visible rows, the axis and the now line. Returns how many bars it drew. */
export function drawTimeline(ctx: CanvasRenderingContext2D, input: DrawInput): number {
  const { rows, view, height, scrollTop, now, zone, zoneOffset } = input;
  const w = view.width;
  ctx.clearRect(0, 0, w, height);
  const axis = ticks(view, zoneOffset);

  // Grid lines under everything.
  ctx.fillStyle = '#eef0f3';
  for (const t of axis.times) {
    const x = Math.round(((t - view.start) / (view.end - view.start)) * w) + 0.5;
    ctx.fillRect(x, AXIS_H, 1, height - AXIS_H);
  }

  const [first, last] = visibleRows(scrollTop, height - AXIS_H, ROW_H, rows.length, 1);
  const nowX = Math.round(timeToX(now, view));
  let bars = 0;
  for (let r = first; r < last; r++) {
    const y = AXIS_H + r * ROW_H - scrollTop;
    if (y + ROW_H < AXIS_H || y > height) continue;
    if (r % 2 === 1) {
      ctx.fillStyle = 'rgba(240, 242, 246, 0.55)';
      ctx.fillRect(0, y, w, ROW_H);
    }
    const row = rows[r];
    const top = y + 5;
    const h = ROW_H - 10;
    rowBars(row, view, now, (b) => {
      bars++;
      const color = COLORS[b.status];
      if (b.status === CODE.planned) {
        ctx.strokeStyle = '#a9b2be';
        ctx.lineWidth = 1;
        const bw = Math.max(b.w, 4);
        ctx.strokeRect(Math.round(b.x) + 0.5, top + 0.5, Math.round(bw), h - 1);
        return;
      }
      if (b.mark) {
        // Missed and skipped: a tick with a small triangle on top, at the slot.
        const x = Math.round(b.x);
        ctx.fillStyle = color;
        ctx.fillRect(x, top, Math.max(1, Math.round(b.w) || 1), h);
        ctx.beginPath();
        ctx.moveTo(x - 3, top - 1);
        ctx.lineTo(x + 4, top - 1);
        ctx.lineTo(x + 0.5, top + 4);
        ctx.fill();
        return;
      }
      const x = Math.floor(b.x);
      const bw = Math.max(1, Math.ceil(b.x + b.w) - x);
      if (b.status === CODE.running && Number.isFinite(b.progress)) {
        // Done of the estimate, solid; what is left, light. A bar that reaches past now ends at the
        // ETA: that part is outlined dashed, a forecast rather than time spent.
        ctx.fillStyle = 'rgba(47, 111, 222, 0.3)';
        ctx.fillRect(x, top, bw, h);
        ctx.fillStyle = color;
        ctx.fillRect(x, top, Math.max(1, Math.round(bw * Math.min(1, b.progress))), h);
        const ahead = nowX;
        if (x + bw > ahead + 2) {
          ctx.strokeStyle = color;
          ctx.lineWidth = 1;
          ctx.setLineDash([3, 2]);
          ctx.strokeRect(Math.max(x, ahead) + 0.5, top + 0.5, x + bw - Math.max(x, ahead) - 1, h - 1);
          ctx.setLineDash([]);
        }
      } else {
        ctx.fillStyle = color;
        ctx.fillRect(x, top, bw, h);
      }
    });
    if (row.paused) {
      ctx.fillStyle = 'rgba(183, 121, 31, 0.07)';
      ctx.fillRect(0, y, w, ROW_H);
    }
  }

  // Now line.
  const nx = ((now - view.start) / (view.end - view.start)) * w;
  if (nx >= 0 && nx <= w) {
    ctx.fillStyle = '#d23f3f';
    ctx.fillRect(Math.round(nx), AXIS_H - 6, 2, height - AXIS_H + 6);
  }

  // Axis on top, so rows scroll under it.
  ctx.fillStyle = '#fafbfc';
  ctx.fillRect(0, 0, w, AXIS_H);
  ctx.fillStyle = '#e2e5ea';
  ctx.fillRect(0, AXIS_H - 1, w, 1);
  ctx.fillStyle = '#5d6673';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const withDate = axis.step >= 6 * 3_600_000;
  for (const t of axis.times) {
    const x = ((t - view.start) / (view.end - view.start)) * w;
    const local = formatInZone(t, zone, { date: true });
    const dayStart = local.endsWith('00:00');
    const label = withDate || dayStart ? local.slice(5) : local.slice(11);
    ctx.fillText(label, x + 4, AXIS_H / 2);
  }
  return bars;
}
