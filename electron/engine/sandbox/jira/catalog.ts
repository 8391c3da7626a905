import type { JiraCustomField, JiraIssueType, JiraStatus, JiraTransition } from './model';

// The fixed configuration of the simulated site: issue types, one simple workflow, and the custom fields a
// finance team would add for Ferry. Ids follow Jira Cloud's numbering (custom fields from 10000 up).

export const ISSUE_TYPES: JiraIssueType[] = [
  { id: '10000', name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false, hierarchyLevel: 1 },
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0 },
  { id: '10002', name: 'Purchase Order', description: 'Work tied to a CloudSuite purchase order.', subtask: false, hierarchyLevel: 0 },
  { id: '10003', name: 'Sub-task', description: "A small piece of work that's part of a larger task.", subtask: true, hierarchyLevel: -1 },
];

export const STATUSES: JiraStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

/** Global transitions: any status can move to any other (Jira's simplified workflow). */
export const TRANSITIONS: JiraTransition[] = [
  { id: '11', name: 'To Do', toStatusId: '10000' },
  { id: '21', name: 'In Progress', toStatusId: '3' },
  { id: '31', name: 'Done', toStatusId: '10001' },
];

const TEXT = 'com.atlassian.jira.plugin.system.customfieldtypes:textfield';
const FLOAT = 'com.atlassian.jira.plugin.system.customfieldtypes:float';

export const CF = {
  cloudSuitePo: 'customfield_10050',
  costCenter: 'customfield_10051',
  glAccount: 'customfield_10052',
  budget: 'customfield_10053',
  cloudSuiteProject: 'customfield_10054',
} as const;

export const CUSTOM_FIELDS: JiraCustomField[] = [
  { id: CF.cloudSuitePo, numericId: 10050, name: 'CloudSuite PO', type: 'string', customType: TEXT },
  { id: CF.costCenter, numericId: 10051, name: 'Cost center', type: 'string', customType: TEXT },
  { id: CF.glAccount, numericId: 10052, name: 'GL account', type: 'string', customType: TEXT },
  { id: CF.budget, numericId: 10053, name: 'Budget amount', type: 'number', customType: FLOAT },
  { id: CF.cloudSuiteProject, numericId: 10054, name: 'CloudSuite project', type: 'string', customType: TEXT },
];

/** Jira's own fields that the sandbox models, with what GET /rest/api/3/field says about them. */
export interface SystemField {
  id: string;
  name: string;
  schema: { type: string; system: string; items?: string } | null;
  clauseNames: string[];
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
}

export const SYSTEM_FIELDS: SystemField[] = [
  { id: 'issuekey', name: 'Key', schema: null, clauseNames: ['id', 'issue', 'issuekey', 'key'], orderable: false, navigable: true, searchable: false },
  { id: 'summary', name: 'Summary', schema: { type: 'string', system: 'summary' }, clauseNames: ['summary'], orderable: true, navigable: true, searchable: true },
  { id: 'description', name: 'Description', schema: { type: 'string', system: 'description' }, clauseNames: ['description'], orderable: true, navigable: true, searchable: true },
  { id: 'project', name: 'Project', schema: { type: 'project', system: 'project' }, clauseNames: ['project'], orderable: false, navigable: true, searchable: true },
  { id: 'issuetype', name: 'Issue Type', schema: { type: 'issuetype', system: 'issuetype' }, clauseNames: ['issuetype', 'type'], orderable: true, navigable: true, searchable: true },
  { id: 'status', name: 'Status', schema: { type: 'status', system: 'status' }, clauseNames: ['status'], orderable: false, navigable: true, searchable: true },
  { id: 'labels', name: 'Labels', schema: { type: 'array', items: 'string', system: 'labels' }, clauseNames: ['labels'], orderable: true, navigable: true, searchable: true },
  { id: 'reporter', name: 'Reporter', schema: { type: 'user', system: 'reporter' }, clauseNames: ['reporter'], orderable: true, navigable: true, searchable: true },
  { id: 'creator', name: 'Creator', schema: { type: 'user', system: 'creator' }, clauseNames: ['creator'], orderable: false, navigable: true, searchable: true },
  { id: 'assignee', name: 'Assignee', schema: { type: 'user', system: 'assignee' }, clauseNames: ['assignee'], orderable: true, navigable: true, searchable: true },
  { id: 'created', name: 'Created', schema: { type: 'datetime', system: 'created' }, clauseNames: ['created', 'createdDate'], orderable: false, navigable: true, searchable: true },
  { id: 'updated', name: 'Updated', schema: { type: 'datetime', system: 'updated' }, clauseNames: ['updated', 'updatedDate'], orderable: false, navigable: true, searchable: true },
  { id: 'parent', name: 'Parent', schema: null, clauseNames: ['parent'], orderable: false, navigable: true, searchable: true },
  { id: 'timespent', name: 'Time Spent', schema: { type: 'number', system: 'timespent' }, clauseNames: ['timespent'], orderable: false, navigable: true, searchable: false },
];
