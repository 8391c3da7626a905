import { z } from 'zod';
import { adfDoc } from './adf';
import type { CustomValue, JiraIssueType, JiraProject, Json } from './model';
import type { JiraStore } from './store';

// Reading `fields` (and `update`) of create and edit requests the way Jira validates them: every problem is
// collected per field into `errors`, with Jira's wording, and nothing is written when there is one.

export const issueRequest = z.object({
  fields: z.record(z.string(), z.unknown()).optional(),
  update: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
  properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
  transition: z.object({ id: z.string() }).optional(),
  historyMetadata: z.unknown().optional(),
});

/** The settable part of an issue; absent keys are left as they are. */
export interface IssueChanges {
  summary?: string;
  description?: Json;
  labels?: string[];
  assigneeAccountId?: string | null;
  reporterAccountId?: string;
  /** The parent's issue id; null removes it. Checked against the child's type by the caller. */
  parentId?: string | null;
  custom: Record<string, CustomValue>;
}

const ref = z.object({ id: z.string().optional(), key: z.string().optional(), name: z.string().optional() });
const account = z.object({ accountId: z.string().nullable() }).nullable();
const cannotSet = (id: string): string => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

export function readProjectAndType(store: JiraStore, fields: Record<string, unknown>, errors: Record<string, string>): { project?: JiraProject; type?: JiraIssueType } {
  const p = ref.safeParse(fields.project);
  const project = p.success ? store.project(p.data.id ?? p.data.key ?? '') : undefined;
  if (!project) errors.project = 'Specify a valid project ID or key';
  let type: JiraIssueType | undefined;
  if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
  else {
    const t = ref.safeParse(fields.issuetype);
    type = t.success ? store.state.issueTypes.find((it) => it.id === t.data.id || (t.data.name !== undefined && it.name.toLowerCase() === t.data.name.toLowerCase())) : undefined;
    if (!type) errors.issuetype = 'The issue type selected is invalid.';
  }
  return { project, type };
}

/** Validates one field value; writes into `out` or `errors`. */
function readField(store: JiraStore, id: string, value: unknown, out: IssueChanges, errors: Record<string, string>): void {
  switch (id) {
    case 'summary': {
      if (typeof value !== 'string' || !value.trim()) errors.summary = 'You must specify a summary of the issue.';
      else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(value)) errors.summary = 'The summary is invalid because it contains newline characters.';
      else out.summary = value;
      return;
    }
    case 'description':
      if (value === null) out.description = null;
      else if (adfDoc.safeParse(value).success) out.description = value as Json;
      else errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
      return;
    case 'labels': {
      const labels = z.array(z.string()).safeParse(value);
      if (!labels.success) errors.labels = 'Operation value must be an array of strings.';
      else if (labels.data.some((l) => /\s/.test(l))) errors.labels = `The label '${labels.data.find((l) => /\s/.test(l))}' contains spaces which is invalid.`;
      else out.labels = [...new Set(labels.data)];
      return;
    }
    case 'parent': {
      // Jira Cloud's parent field: { key } or { id } of an issue one level up (an epic over a standard issue).
      if (value === null) {
        out.parentId = null;
        return;
      }
      const p = ref.safeParse(value);
      const parent = p.success ? store.issue(p.data.id ?? p.data.key ?? '') : undefined;
      if (!parent) errors.parent = `Could not find issue by id or key.`;
      else if ((store.state.issueTypes.find((t) => t.id === parent.issueTypeId)?.hierarchyLevel ?? 0) < 1) errors.parent = 'The parent must be an epic (an issue type one level up).';
      else out.parentId = parent.id;
      return;
    }
    case 'assignee':
    case 'reporter': {
      const a = account.safeParse(value);
      const accountId = a.success ? (a.data?.accountId ?? null) : undefined;
      if (accountId === undefined) errors[id] = `Operation value must be an object with an accountId.`;
      else if (accountId !== null && !store.user(accountId)) errors[id] = `User '${accountId}' does not exist.`;
      else if (id === 'assignee') out.assigneeAccountId = accountId;
      else if (accountId === null) errors.reporter = 'Reporter is required.';
      else out.reporterAccountId = accountId;
      return;
    }
  }
  const field = store.state.fields.find((f) => f.id === id);
  if (!field) {
    errors[id] = cannotSet(id);
    return;
  }
  if (value === null) out.custom[id] = null;
  else if (field.type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) out.custom[id] = value;
    else errors[id] = 'Operation value must be a number';
  } else if (typeof value !== 'string') errors[id] = 'Operation value must be a string';
  else if (value.length > 255) errors[id] = 'The entered text is too long. It exceeds the allowed limit of 255 characters.';
  else out.custom[id] = value;
}

/**
 * Reads `fields` and `update` for a create (project and issue type handled by the caller) or an edit.
 * `update` supports set on any field and add/remove on labels, which is what clients use it for.
 */
export function readChanges(store: JiraStore, fields: Record<string, unknown>, update: Record<string, Record<string, unknown>[]>, currentLabels: string[], creating: boolean): { changes: IssueChanges; errors: Record<string, string> } {
  const changes: IssueChanges = { custom: {} };
  const errors: Record<string, string> = {};
  for (const [id, value] of Object.entries(fields)) {
    if (creating && (id === 'project' || id === 'issuetype')) continue;
    if (!creating && (id === 'project' || id === 'issuetype')) errors[id] = cannotSet(id);
    else readField(store, id, value, changes, errors);
  }
  for (const [id, ops] of Object.entries(update)) {
    if (id in fields) {
      errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    let labels = [...(changes.labels ?? currentLabels)];
    for (const op of ops) {
      const [verb, value] = Object.entries(op)[0] ?? [];
      if (verb === 'set') readField(store, id, value, changes, errors);
      else if (id === 'labels' && (verb === 'add' || verb === 'remove') && typeof value === 'string') {
        labels = verb === 'add' ? [...new Set([...labels, value])] : labels.filter((l) => l !== value);
        readField(store, 'labels', labels, changes, errors);
      } else errors[id] = `Operation '${verb ?? ''}' is not supported for field '${id}'.`;
    }
  }
  if (creating && changes.summary === undefined && !errors.summary) errors.summary = 'You must specify a summary of the issue.';
  return { changes, errors };
}
