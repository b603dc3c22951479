import { RulesView } from './rules-view';

export const metadata = { title: 'Alert routing · Timekeeper' };

export default function AlertRulesPage() {
  return <RulesView />;
}
