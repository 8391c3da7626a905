import type { FlowName } from '../shared/api';

/** Each flow in the words a finance person uses; the technical name stays visible beside it where useful. */
export const flowLabels: Record<FlowName, string> = {
  'po-to-jaggaer': 'Purchase orders → JAGGAER',
  'invoice-to-cloudsuite': 'Supplier invoices → CloudSuite AP',
  'invoice-to-jaggaer': 'CloudSuite invoices → JAGGAER',
  'supplier-sync': 'Suppliers ⇄ vendors',
  'po-to-jira': 'Project POs → Jira issues',
  'worklog-to-gl': 'Jira hours → labour cost (GL)',
  'jira-webhooks': 'Jira webhooks',
};

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago", "in 2 hours": for when something ran or will run. */
export function whenText(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const [value, unit] =
    abs < 60_000 ? [Math.round(diff / 1000), 'second'] : abs < 3_600_000 ? [Math.round(diff / 60_000), 'minute'] : abs < 86_400_000 ? [Math.round(diff / 3_600_000), 'hour'] : [Math.round(diff / 86_400_000), 'day'];
  return relative.format(value, unit as Intl.RelativeTimeFormatUnit);
}

export const numberText = (n: number): string => n.toLocaleString();
