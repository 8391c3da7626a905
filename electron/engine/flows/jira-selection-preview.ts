import type { JiraSelectionPreview } from '../../../shared/api';
import { connectCloudSuite } from '../connectors/connect';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { HttpPool } from '../http/pool';
import { resolveJiraTarget } from '../mapping/jira';
import { jiraFlowSettings, selectsPurchaseOrder } from '../mapping/jira-settings';
import type { Profile } from '../store/profile';

// What po-to-jira's selection rule picks, before anything is sent: the POs changed in the last `days` are read
// from CloudSuite exactly as the flow reads them, and each is placed — selected (with the Jira project and issue
// type it would go to, or "no Jira project" when no mapping covers it) or left out with the rule's reason.
// Read-only: nothing is written anywhere.

export async function previewJiraSelection(profile: Profile, opts: { days: number; limit: number }, now = Date.now()): Promise<JiraSelectionPreview> {
  const pool = new HttpPool({ ...toNetwork(loadNetworkSettings(profile.db)) });
  const { adapter } = connectCloudSuite(profile, pool);
  const settings = jiraFlowSettings(profile.db);
  const since = new Date(now - opts.days * 86_400_000);
  const out: JiraSelectionPreview = { since: since.toISOString(), read: 0, selected: 0, unmapped: 0, leftOut: {}, sample: [], requests: 0 };
  for await (const { orders } of adapter.purchaseOrdersChangedSince(since, 100)) {
    for (const po of await adapter.withJiraFields(orders)) {
      out.read++;
      const reason = selectsPurchaseOrder(settings.selection, po);
      if (reason) {
        out.leftOut[reason] = (out.leftOut[reason] ?? 0) + 1;
        continue;
      }
      out.selected++;
      const target = resolveJiraTarget(profile.db, { project: po.project ?? null, poType: po.type });
      if (!target) out.unmapped++;
      if (out.sample.length < opts.limit) {
        out.sample.push({ po: po.number, project: po.project ?? null, type: po.type, status: po.status, jiraProject: target?.project ?? null, issueType: target?.issueType ?? null, jiraKey: po.jiraKey ?? null });
      }
    }
  }
  out.requests = pool.totals().requests;
  return out;
}
