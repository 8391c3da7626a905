import { FerryError } from '../../../../shared/errors';
import { customFieldClause, jqlString, searchWords } from './jql';
import { createdIssue, entityProperty, issueBean, nothing, searchPage, transitionList } from './schemas';
import type { JiraTransport } from './transport';
import type { IssueChanges, IssueIdentity, JiraIssue, NewIssue } from './types';

// Issues: create, edit, read, find by a text custom field (the CloudSuite PO), and issue properties.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const path = (idOrKey: string) => `/rest/api/3/issue/${encodeURIComponent(idOrKey)}`;

export interface JiraIssuesOptions {
  /** Issues per search page (Jira gives at most 100 when fields are loaded). */
  searchPageSize: number;
  /**
   * Wait before proving a create did not happen: search lags a fresh write by a few seconds, and a search
   * that runs too early would miss the issue and let the create be sent twice.
   */
  verifyDelayMs: number;
}

function customFields(values: Record<string, unknown> | undefined): Record<string, unknown> {
  for (const id of Object.keys(values ?? {})) customFieldClause(id);
  return values ?? {};
}

function fieldsOf(c: IssueChanges): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...customFields(c.customFields) };
  if (c.summary !== undefined) fields.summary = c.summary;
  if (c.description !== undefined) fields.description = c.description;
  if (c.labels !== undefined) fields.labels = c.labels;
  if (c.parent !== undefined) fields.parent = c.parent === null ? null : { key: c.parent };
  return fields;
}

export class JiraIssues {
  constructor(
    private readonly t: JiraTransport,
    private readonly opts: JiraIssuesOptions,
  ) {}

  /**
   * Creates an issue. POST is not idempotent: with `identity` (the CloudSuite PO field), an answer lost in
   * transit is resolved by searching for it — nothing found means it may be sent again; without it, it is
   * never sent twice.
   */
  async create(issue: NewIssue, identity?: IssueIdentity): Promise<{ id: string; key: string }> {
    if (identity && issue.customFields?.[identity.fieldId] !== identity.value) {
      // A search for a value the issue does not carry would always say "not created yet".
      throw new FerryError('invalid_input', `The new issue must carry ${identity.value} in ${identity.fieldId}, the field Ferry finds it by.`);
    }
    const fields = { project: { key: issue.project }, issuetype: issue.issueType, ...fieldsOf(issue) };
    return this.t.call({
      method: 'POST',
      path: '/rest/api/3/issue',
      body: { fields },
      schema: createdIssue,
      what: `creating an issue in ${issue.project}${identity ? ` for ${identity.value}` : ''}`,
      verifyNotApplied: identity
        ? async () => {
            await sleep(this.opts.verifyDelayMs);
            return (await this.findByTextField({ project: issue.project, ...identity })).length === 0;
          }
        : undefined,
    });
  }

  /** Edits the given fields (PUT: safe to repeat). */
  async update(idOrKey: string, changes: IssueChanges): Promise<void> {
    const fields = fieldsOf(changes);
    if (Object.keys(fields).length === 0) return;
    await this.t.call({ method: 'PUT', path: path(idOrKey), body: { fields }, schema: nothing, what: `updating issue ${idOrKey}` });
  }

  /** The issue with the listed fields, or null when Jira has no such issue (or may not show it). */
  async get(idOrKey: string, fields: string[]): Promise<JiraIssue | null> {
    const bean = await this.t.callOrNull({ method: 'GET', path: path(idOrKey), params: { fields: fields.join(',') }, schema: issueBean, what: `loading issue ${idOrKey}` });
    return bean && { id: bean.id, key: bean.key, fields: bean.fields ?? {} };
  }

  /** Enhanced JQL search, one page at a time (nextPageToken; there is no total). `jql` must be bounded. */
  async *searchPages(jql: string, fields: string[], what = 'searching issues'): AsyncGenerator<JiraIssue[]> {
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const body: Record<string, unknown> = { jql, fields, maxResults: this.opts.searchPageSize };
      if (token) body.nextPageToken = token;
      // A search changes nothing: safe to repeat although it is a POST.
      const page = await this.t.call({ method: 'POST', path: '/rest/api/3/search/jql', body, schema: searchPage, what, idempotent: true });
      yield page.issues.map((i) => ({ id: i.id, key: i.key, fields: i.fields ?? {} }));
      const next = page.nextPageToken ?? undefined;
      if (!next || page.isLast === true) return;
      if (seen.has(next)) throw new FerryError('jira_paging', `Jira handed out the same page twice while ${what}; Ferry stopped rather than loop.`);
      seen.add(next);
      token = next;
    }
  }

  /**
   * Issues of a project whose text custom field equals `value` exactly. Jira's ~ is a word search (a
   * superset: "PO 17" also finds "PO 17 rev 2"), so the search is narrowed in JQL and decided here.
   */
  async findByTextField(q: IssueIdentity & { project: string; fields?: string[] }): Promise<JiraIssue[]> {
    const words = searchWords(q.value);
    const clause = customFieldClause(q.fieldId);
    const jql = `project = ${jqlString(q.project)} AND ${clause} ${words ? `~ ${jqlString(words)}` : 'is not EMPTY'}`;
    const fields = [...new Set([q.fieldId, ...(q.fields ?? [])])];
    const found: JiraIssue[] = [];
    for await (const page of this.searchPages(jql, fields, `looking for ${q.value} in ${q.project}`)) {
      found.push(...page.filter((i) => i.fields[q.fieldId] === q.value));
    }
    return found;
  }

  /** The transitions Jira offers for the issue now: id, name, and the status each leads to. */
  async transitions(idOrKey: string): Promise<{ id: string; name: string; to: string | null }[]> {
    const res = await this.t.call({ method: 'GET', path: `${path(idOrKey)}/transitions`, schema: transitionList, what: `listing the transitions of ${idOrKey}` });
    return res.transitions.map((t) => ({ id: t.id, name: t.name, to: t.to?.name ?? null }));
  }

  /**
   * Moves the issue along the transition named `name` (or leading to the status named `name`). Already in
   * that status: nothing is sent, so a repeat is harmless.
   */
  async transition(idOrKey: string, name: string): Promise<'moved' | 'already'> {
    const current = await this.get(idOrKey, ['status']);
    const status = (current?.fields.status as { name?: string } | undefined)?.name;
    const same = (a: string | null | undefined) => (a ?? '').toLowerCase() === name.toLowerCase();
    if (same(status)) return 'already';
    const options = await this.transitions(idOrKey);
    const t = options.find((o) => same(o.name)) ?? options.find((o) => same(o.to));
    if (!t) {
      throw new FerryError('jira_transition', `Jira offers no transition "${name}" for ${idOrKey} (it offers ${options.map((o) => `"${o.name}"`).join(', ') || 'none'}). Change the closing transition in the Jira settings.`);
    }
    await this.t.call({ method: 'POST', path: `${path(idOrKey)}/transitions`, body: { transition: { id: t.id } }, schema: nothing, what: `moving ${idOrKey} to ${name}` });
    return 'moved';
  }

  /** An issue property's value, or null when the issue or the property does not exist. */
  async getProperty(idOrKey: string, propertyKey: string): Promise<{ key: string; value: unknown } | null> {
    const p = `${path(idOrKey)}/properties/${encodeURIComponent(propertyKey)}`;
    return this.t.callOrNull({ method: 'GET', path: p, schema: entityProperty, what: `reading ${propertyKey} of issue ${idOrKey}` });
  }

  /** Stores JSON on the issue (not searchable by JQL: look issues up by a text field instead). */
  async setProperty(idOrKey: string, propertyKey: string, value: unknown): Promise<void> {
    if (value === undefined) throw new FerryError('invalid_input', `Ferry tried to save nothing as ${propertyKey}; an issue property holds JSON.`);
    const p = `${path(idOrKey)}/properties/${encodeURIComponent(propertyKey)}`;
    await this.t.call({ method: 'PUT', path: p, body: value, schema: nothing, what: `saving ${propertyKey} on issue ${idOrKey}` });
  }
}
