import type { Project, PurchaseOrder, Vendor } from '../../../shared/domain';
import type { AdfDoc } from '../connectors/jira';
import type { JiraFlowSettings } from './jira-settings';

// What a CloudSuite PO or project looks like as a Jira issue: pure, so it is hashed for change detection
// (an unchanged PO sends nothing) and shown as is in a dry run.

export interface IssuePayload {
  project: string;
  issueType: string;
  summary: string;
  description: AdfDoc;
  customFields: Record<string, string | number | null>;
  /** The issue's parent (the project's issue), when POs are linked under their project. */
  parent: string | null;
  /** Closed or cancelled in CloudSuite: the issue gets the configured transition and label. */
  closed: boolean;
}

const text = (t: string) => ({ type: 'text', text: t });
const paragraph = (...parts: string[]) => ({ type: 'paragraph', content: parts.filter(Boolean).map(text) });
const bullets = (items: string[]) => ({ type: 'bulletList', content: items.map((i) => ({ type: 'listItem', content: [paragraph(i)] })) });

const money = (n: number, currency: string | null) => `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;
const cents = (n: number) => Math.round(n * 100) / 100;

export const poTotal = (po: PurchaseOrder): number => cents(po.lines.reduce((s, l) => s + l.quantity * l.unitCost, 0));

/** Closed in CloudSuite: complete, moved to history. */
export const poClosed = (po: PurchaseOrder): boolean => po.status === 'complete' || po.status === 'history';

export function purchaseOrderIssue(po: PurchaseOrder, vendor: Vendor | undefined, target: { project: string; issueType: string }, settings: JiraFlowSettings, parent: string | null): IssuePayload {
  const f = settings.fields;
  const currency = vendor?.currency ?? null;
  const coded = po.lines.find((l) => l.glAccount);
  const vendorName = vendor?.name ?? po.vendorNumber;
  const summary = `PO ${po.number} – ${vendorName}`.slice(0, 255);
  const description: AdfDoc = {
    type: 'doc',
    version: 1,
    content: [
      paragraph(`CloudSuite purchase order ${po.number} from ${vendorName} (vendor ${po.vendorNumber})${po.orderDate ? `, ordered ${po.orderDate.slice(0, 10)}` : ''}; status ${po.status}.`),
      ...(po.project ? [paragraph(`CloudSuite project ${po.project}.`)] : []),
      bullets(
        po.lines.map(
          (l) =>
            `Line ${l.line}: ${l.description || l.item || 'item'} — ${l.quantity} ${l.unitOfMeasure} × ${money(l.unitCost, currency)} = ${money(cents(l.quantity * l.unitCost), currency)}` +
            `${l.glAccount ? ` (GL ${l.glAccount}${l.unitCodes[0] ? ` / ${l.unitCodes[0]}` : ''})` : ''}${l.dueDate ? `, due ${l.dueDate.slice(0, 10)}` : ''}`,
        ),
      ),
      paragraph(`Total ${money(poTotal(po), currency)}. Kept in step by Ferry from CloudSuite: change the PO there, not here.`),
    ],
  };
  const customFields: Record<string, string | number | null> = { [f.cloudSuitePo]: po.number };
  if (f.costCenter) customFields[f.costCenter] = coded?.unitCodes[0] ?? null;
  if (f.glAccount) customFields[f.glAccount] = coded?.glAccount ?? null;
  if (f.budget) customFields[f.budget] = poTotal(po);
  if (f.cloudSuiteProject) customFields[f.cloudSuiteProject] = po.project ?? null;
  return { project: target.project, issueType: target.issueType, summary, description, customFields, parent, closed: poClosed(po) };
}

/** A CloudSuite project as an issue (an epic by default); found again by the CloudSuite project field. */
export function projectIssue(p: Project, target: { project: string; projectIssueType: string }, settings: JiraFlowSettings): IssuePayload {
  const f = settings.fields;
  const dates = [p.startDate ? `starts ${p.startDate.slice(0, 10)}` : '', p.endDate ? `ends ${p.endDate.slice(0, 10)}` : ''].filter(Boolean).join(', ');
  const customFields: Record<string, string | number | null> = {};
  if (f.cloudSuiteProject) customFields[f.cloudSuiteProject] = p.number;
  // Only what CloudSuite says: Industrial publishes no cost center on a project (SLProjs), so a cost center a
  // person set on the issue is left as it is rather than blanked.
  if (f.costCenter && p.costCenter) customFields[f.costCenter] = p.costCenter;
  return {
    project: target.project,
    issueType: target.projectIssueType,
    summary: `${p.number} – ${p.description || 'CloudSuite project'}`.slice(0, 255),
    description: {
      type: 'doc',
      version: 1,
      content: [paragraph(`CloudSuite project ${p.number}: ${p.description}.${p.manager ? ` Manager ${p.manager}.` : ''}${dates ? ` It ${dates}.` : ''}${p.costCenter ? ` Cost center ${p.costCenter}.` : ''}`)],
    },
    customFields,
    parent: null,
    closed: !p.active,
  };
}
