import { VERDICT_COLOR, VERDICT_LABEL, verdictOf } from '@/lib/runs/status';

export function VerdictBadge({ status }: { status: string }) {
  const v = verdictOf(status);
  return (
    <span className="verdict" style={{ ['--c' as string]: VERDICT_COLOR[v] }} data-verdict={v}>
      {VERDICT_LABEL[v]}
    </span>
  );
}
