import type { JiraFlowSettings } from '../mapping/jira-settings';
import { customFieldClause, jqlString } from '../connectors/jira/jql';
import { getCursor, setCursor } from '../store/cursors';
import type { FlowContext } from '../sync/flow-context';
import { getLink } from '../store/links';
import { contentHash } from '../sync/hash';
import { syncRecord } from '../sync/record';
import { watchedJiraProjects } from '../sync/webhook-keeper';
import type { PoToJiraDeps } from './po-to-jira';

// Jira → CloudSuite, the small way back of po-to-jira: when a PO's issue reaches a status named in the
// settings' statusNotes (e.g. "Done" → "Work complete"), that note is written to the PO (Uf_JiraNote on
// Industrial). Issues updated since the last look are searched (a day of overlap, so the searcher's time
// zone can never hide one); a note already written is not written again (content hash).

const CURSOR = 'po-to-jira:status';
const DAY_MS = 86_400_000;

/** A JQL date literal in UTC, yyyy-MM-dd HH:mm (the day of overlap covers any searcher time zone). */
const jqlDate = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export async function syncStatusNotes(ctx: FlowContext, deps: PoToJiraDeps, settings: JiraFlowSettings): Promise<void> {
  const notes = settings.statusNotes;
  const statuses = Object.keys(notes);
  if (statuses.length === 0 || !deps.cloudsuite.supports.purchaseOrderFields) return;
  const projects = watchedJiraProjects(ctx.db);
  if (projects.length === 0) return;
  const startedAt = Date.now();
  const cursor = getCursor(ctx.db, CURSOR);
  const since = cursor ? Date.parse(cursor) - DAY_MS : 0;
  const poField = settings.fields.cloudSuitePo;
  const jql = [
    `project in (${projects.map(jqlString).join(', ')})`,
    `${customFieldClause(poField)} is not EMPTY`,
    `status in (${statuses.map(jqlString).join(', ')})`,
    ...(since > 0 ? [`updated >= ${jqlString(jqlDate(since))}`] : []),
  ].join(' AND ');
  for await (const page of deps.jira.issues.searchPages(`${jql} ORDER BY updated ASC`, ['status', poField], 'looking for issues whose status writes a note to their PO')) {
    for (const issue of page) {
      const po = typeof issue.fields[poField] === 'string' ? (issue.fields[poField] as string).trim() : '';
      const status = (issue.fields.status as { name?: string } | undefined)?.name ?? '';
      const statusKey = statuses.find((s) => s.toLowerCase() === status.toLowerCase());
      if (!po || !statusKey) continue;
      const payload = { po, issue: issue.key, status: statusKey, note: notes[statusKey]! };
      // Re-read through the overlap and already written: counted, not audited again on every run.
      if (getLink(ctx.db, 'jira', `status:${po}`, 'cloudsuite')?.contentHash === contentHash(payload)) {
        ctx.counts.unchanged++;
        continue;
      }
      await syncRecord(ctx, {
        recordType: 'Jira status note',
        sourceSystem: 'jira',
        sourceKey: `status:${po}`,
        targetSystem: 'cloudsuite',
        map: () => payload,
        create: async (p) => {
          await deps.cloudsuite.setPurchaseOrderField(po, 'jiraNote', p.note);
          return { targetId: po, targetStatus: p.status };
        },
        update: async (p) => {
          await deps.cloudsuite.setPurchaseOrderField(po, 'jiraNote', p.note);
          return { targetId: po, targetStatus: p.status };
        },
      });
    }
  }
  if (!ctx.dryRun) setCursor(ctx.db, CURSOR, new Date(startedAt).toISOString());
}
