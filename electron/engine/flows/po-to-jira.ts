import type { Project, PurchaseOrder, Vendor } from '../../../shared/domain';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJira } from '../connectors/connect';
import type { JiraClient, NewIssue } from '../connectors/jira';
import { MappingError } from '../mapping/errors';
import { resolveJiraTarget } from '../mapping/jira';
import { projectIssue, purchaseOrderIssue, type IssuePayload } from '../mapping/jira-issue';
import { jiraFlowSettings, selectsPurchaseOrder, type JiraFlowSettings } from '../mapping/jira-settings';
import { refreshReference } from '../mapping/reference-refresh';
import { getCursor, setCursor } from '../store/cursors';
import { getLink } from '../store/links';
import type { Profile } from '../store/profile';
import { getReference, referenceAge } from '../store/reference';
import type { FlowContext } from '../sync/flow-context';
import { contentHash } from '../sync/hash';
import { syncRecord, type Written } from '../sync/record';
import type { FlowModule, ReplayItem } from '../sync/runner';
import { READ_DEFAULTS } from './defaults';
import { syncStatusNotes } from './jira-status-notes';

// CloudSuite projects and project-tied POs → Jira issues; the Jira key goes back to the PO.
// Projects first (their issues are the parents POs may go under), then the POs changed since the cursor that
// the profile's selection rule picks: map → skip unchanged → find by the CloudSuite PO field before creating
// → create or update (a closed PO gets the closing transition and label) → link + audit → Jira key written
// back to the PO when it is not there yet (its own record, so a failed write-back waits for a replay).
// Last, issues that reached a status named in statusNotes write that note to their PO (jira-status-notes.ts).

export const FLOW = 'po-to-jira' as const;
const SOURCE = 'cloudsuite';
const TARGET = 'jira';
const PROJECT_PREFIX = 'project:';
const REFERENCE_MAX_AGE_MS = 60 * 60_000;

export interface PoToJiraDeps {
  profile: Profile;
  cloudsuite: CloudSuiteAdapter;
  jira: JiraClient;
  overlapMs: number;
  pageSize: number;
}

function newIssue(p: IssuePayload): NewIssue {
  const customFields = Object.fromEntries(Object.entries(p.customFields).filter(([, v]) => v !== null));
  return { project: p.project, issueType: { name: p.issueType }, summary: p.summary, description: p.description, customFields, ...(p.parent ? { parent: p.parent } : {}) };
}

/** A closed PO or project: the configured label added to the issue's own, then the closing transition. */
async function close(deps: PoToJiraDeps, settings: JiraFlowSettings, key: string): Promise<void> {
  const { label, transition } = settings.closed;
  if (label) {
    const current = await deps.jira.issues.get(key, ['labels']);
    const labels = Array.isArray(current?.fields.labels) ? (current.fields.labels as string[]) : [];
    if (!labels.includes(label)) await deps.jira.issues.update(key, { labels: [...labels, label] });
  }
  if (transition) await deps.jira.issues.transition(key, transition);
}

async function writeIssue(
  ctx: FlowContext,
  deps: PoToJiraDeps,
  settings: JiraFlowSettings,
  o: { recordType: string; sourceKey: string; identity: { fieldId: string; value: string }; map: () => IssuePayload; replayOf: number | null },
) {
  return syncRecord(ctx, {
    recordType: o.recordType,
    sourceSystem: SOURCE,
    sourceKey: o.sourceKey,
    targetSystem: TARGET,
    replayOf: o.replayOf,
    map: o.map,
    skip: (p, linked) => (p.closed && !linked ? `Closed in CloudSuite before it ever reached Jira: no issue is made for it.` : null),
    // Identity before write: an issue that already carries this CloudSuite number is adopted, never doubled.
    findExisting: async (p): Promise<Written | null> => {
      // Of the issue type it would create: a project's tasks carry the project's number too, its epic is the one.
      const found = (await deps.jira.issues.findByTextField({ project: p.project, ...o.identity, fields: ['issuetype'] })).filter(
        (i) => ((i.fields.issuetype as { name?: string } | undefined)?.name ?? '').toLowerCase() === p.issueType.toLowerCase(),
      );
      return found[0] ? { targetId: found[0].key, targetStatus: null } : null;
    },
    create: async (p) => {
      const created = await deps.jira.issues.create(newIssue(p), o.identity);
      return { targetId: created.key, targetStatus: 'open' };
    },
    update: async (p, key) => {
      await deps.jira.issues.update(key, { summary: p.summary, description: p.description, customFields: p.customFields, ...(p.parent ? { parent: p.parent } : {}) });
      if (p.closed) await close(deps, settings, key);
      return { targetId: key, targetStatus: p.closed ? 'closed' : 'open' };
    },
    updateAction: (p) => (p.closed ? 'close' : 'update'),
  });
}

async function syncProject(ctx: FlowContext, deps: PoToJiraDeps, settings: JiraFlowSettings, p: Project, replayOf: number | null = null): Promise<void> {
  if (!settings.fields.cloudSuiteProject) return;
  const fieldId = settings.fields.cloudSuiteProject;
  // Projects are read whole every run: one that is in step is counted, not written to the audit trail each time.
  const target = resolveJiraTarget(ctx.db, { project: p.number, poType: null });
  const link = getLink(ctx.db, SOURCE, `${PROJECT_PREFIX}${p.number}`, TARGET);
  if (replayOf === null && target && link && link.contentHash === contentHash(projectIssue(p, target, settings))) {
    ctx.counts.unchanged++;
    return;
  }
  await writeIssue(ctx, deps, settings, {
    recordType: 'project',
    sourceKey: `${PROJECT_PREFIX}${p.number}`,
    identity: { fieldId, value: p.number },
    replayOf,
    map: () => {
      const target = resolveJiraTarget(ctx.db, { project: p.number, poType: null });
      if (!target) throw new MappingError('project', `Project ${p.number} has no Jira project: add it (or a "*" row) to the Jira projects mapping.`);
      return projectIssue(p, target, settings);
    },
  });
}

async function syncPo(ctx: FlowContext, deps: PoToJiraDeps, settings: JiraFlowSettings, po: PurchaseOrder, vendors: Map<string, Vendor>, replayOf: number | null = null): Promise<void> {
  await writeIssue(ctx, deps, settings, {
    recordType: 'purchase order',
    sourceKey: po.number,
    identity: { fieldId: settings.fields.cloudSuitePo, value: po.number },
    replayOf,
    map: () => {
      const target = resolveJiraTarget(ctx.db, { project: po.project ?? null, poType: po.type });
      if (!target) {
        throw new MappingError('project', `PO ${po.number}${po.project ? ` (project ${po.project})` : ''} has no Jira project: add its project, its PO type (type:${po.type ?? '?'}) or "*" to the Jira projects mapping.`);
      }
      const parentLink = settings.projects.linkPurchaseOrders && po.project ? getLink(ctx.db, SOURCE, `${PROJECT_PREFIX}${po.project}`, TARGET) : null;
      return purchaseOrderIssue(po, vendors.get(po.vendorNumber), target, settings, parentLink?.targetId ?? null);
    },
  });
  await writeBack(ctx, deps, po, replayOf);
}

/** The Jira key onto the PO (Uf_JiraKey on Industrial), once; M3 has no such field, so the link stays Ferry's own. */
async function writeBack(ctx: FlowContext, deps: PoToJiraDeps, po: PurchaseOrder, replayOf: number | null): Promise<void> {
  const link = getLink(ctx.db, SOURCE, po.number, TARGET);
  if (ctx.dryRun || !link || po.jiraKey === link.targetId || !deps.cloudsuite.supports.purchaseOrderFields) return;
  await syncRecord(ctx, {
    recordType: 'Jira key on PO',
    sourceSystem: TARGET,
    sourceKey: po.number,
    targetSystem: SOURCE,
    replayOf,
    // The PO's own state is part of the record: a key cleared in CloudSuite after an earlier write-back (a
    // change to the PO, so a new modifiedAt) is written again rather than taken for "no change".
    map: () => ({ jiraKey: link.targetId, found: po.jiraKey ?? null, poModifiedAt: po.modifiedAt }),
    create: async (p) => {
      await deps.cloudsuite.setPurchaseOrderField(po.number, 'jiraKey', p.jiraKey);
      return { targetId: po.number, targetStatus: p.jiraKey };
    },
    update: async (p) => {
      await deps.cloudsuite.setPurchaseOrderField(po.number, 'jiraKey', p.jiraKey);
      return { targetId: po.number, targetStatus: p.jiraKey };
    },
  });
}

async function freshReference(deps: PoToJiraDeps, force = false): Promise<void> {
  const age = referenceAge(deps.profile.db, 'project');
  if (force || !age || age.ageMs > REFERENCE_MAX_AGE_MS) await refreshReference(deps.profile, deps.cloudsuite);
}

async function syncProjects(ctx: FlowContext, deps: PoToJiraDeps, settings: JiraFlowSettings): Promise<void> {
  if (!settings.projects.createIssues) return;
  for (const p of getReference(ctx.db, 'project')) {
    // Inactive projects that never reached Jira are left out by the skip rule; the others are kept in step.
    await syncProject(ctx, deps, settings, p);
  }
}

export const poToJira: FlowModule<PoToJiraDeps> = {
  connect(profile, pool) {
    return { profile, cloudsuite: connectCloudSuite(profile, pool).adapter, jira: connectJira(profile, pool).client, ...READ_DEFAULTS };
  },

  async run(ctx, deps) {
    const settings = jiraFlowSettings(ctx.db);
    await freshReference(deps);
    await syncProjects(ctx, deps, settings);
    const vendors = new Map((await deps.cloudsuite.listVendors()).map((v) => [v.number, v]));
    const cursor = getCursor(ctx.db, FLOW);
    const since = cursor ? new Date(Date.parse(cursor) - deps.overlapMs) : new Date(0);
    let page = 0;
    let processed = 0;
    for await (const { orders, maxModifiedAt } of deps.cloudsuite.purchaseOrdersChangedSince(since, deps.pageSize)) {
      page++;
      for (const po of await deps.cloudsuite.withJiraFields(orders)) {
        // POs the selection rule leaves out are not this flow's records — unless an earlier rule brought them in.
        if (selectsPurchaseOrder(settings.selection, po) === null || getLink(ctx.db, SOURCE, po.number, TARGET)) await syncPo(ctx, deps, settings, po, vendors);
        ctx.progress({ page, processed: ++processed });
      }
      if (!ctx.dryRun && maxModifiedAt && (!cursor || maxModifiedAt > cursor)) setCursor(ctx.db, FLOW, maxModifiedAt);
    }
    await syncStatusNotes(ctx, deps, settings);
  },

  async replay(ctx, deps, items: ReplayItem[]) {
    const settings = jiraFlowSettings(ctx.db);
    await freshReference(deps, items.some((i) => i.failureId !== null));
    const vendors = new Map((await deps.cloudsuite.listVendors()).map((v) => [v.number, v]));
    const projects = new Map(getReference(ctx.db, 'project').map((p) => [p.number, p]));
    let processed = 0;
    // A status note is looked up again as a whole (its issue may have moved on since).
    if (items.some((i) => i.key.startsWith('status:'))) await syncStatusNotes(ctx, deps, settings);
    for (const item of items) {
      if (item.key.startsWith('status:')) continue;
      if (item.key.startsWith(PROJECT_PREFIX)) {
        const p = projects.get(item.key.slice(PROJECT_PREFIX.length));
        if (p) await syncProject(ctx, deps, settings, p, item.failureId);
        else ctx.log.warn({ project: item.key }, 'project to replay is no longer in CloudSuite');
      } else {
        const found = await deps.cloudsuite.getPurchaseOrder(item.key);
        const po = found ? (await deps.cloudsuite.withJiraFields([found]))[0]! : null;
        if (po) await syncPo(ctx, deps, settings, po, vendors, item.failureId);
        else ctx.log.warn({ po: item.key }, 'PO to replay no longer exists in CloudSuite');
      }
      ctx.progress({ page: 0, processed: ++processed });
    }
  },
};
