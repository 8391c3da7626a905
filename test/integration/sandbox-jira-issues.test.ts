import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setJiraIndexLag } from '../../electron/engine/sandbox/jira';
import { adf, expectConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Issues, search, properties and site metadata of the sandbox Jira, over real HTTP. Every response is
// checked against Atlassian's OpenAPI description at the end.

let jira: JiraSandbox;
let projectKey: string;

beforeAll(async () => {
  jira = await startJira();
  projectKey = jira.state.projects[0]!.key;
});
afterAll(async () => {
  await jira.close();
});

type Issue = { id: string; key: string; self: string; fields: Record<string, unknown>; properties?: Record<string, unknown> };
type Page = { issues: Issue[]; nextPageToken?: string; isLast: boolean; total?: number };

async function createIssue(fields: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await jira.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, ...fields } } });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string };
}

describe('site metadata', () => {
  it('lists projects made from the CloudSuite projects, with lead and issue types on request', async () => {
    const res = await jira.call('GET', '/rest/api/3/project/search?expand=lead,issueTypes,description&maxResults=2');
    expect(res.status).toBe(200);
    const page = res.body as { values: { key: string; description: string; lead: { accountId: string }; issueTypes: { name: string }[] }[]; total: number; isLast: boolean; nextPage?: string };
    expect(page.total).toBe(3);
    expect(page.values).toHaveLength(2);
    expect(page.isLast).toBe(false);
    expect(page.nextPage).toContain('startAt=2');
    expect(page.values.map((p) => p.description).join(' ')).toMatch(/CloudSuite project PRJ100\d/);
    expect(page.values[0]!.issueTypes.map((t) => t.name)).toContain('Task');
    const one = await jira.call('GET', `/rest/api/3/project/${projectKey}`);
    expect((one.body as { key: string }).key).toBe(projectKey);
    const types = await jira.call('GET', `/rest/api/3/issuetype/project?projectId=${jira.state.projects[0]!.id}`);
    expect((types.body as { name: string }[]).map((t) => t.name)).toEqual(['Epic', 'Task', 'Purchase Order', 'Sub-task']);
  });

  it('lists the custom fields Ferry maps, with their cf[] clause names', async () => {
    const res = await jira.call('GET', '/rest/api/3/field');
    const fields = res.body as { id: string; name: string; custom: boolean; clauseNames: string[]; schema?: { type: string } }[];
    const po = fields.find((f) => f.name === 'CloudSuite PO')!;
    expect(po).toMatchObject({ id: 'customfield_10050', custom: true, schema: { type: 'string' } });
    expect(po.clauseNames).toContain('cf[10050]');
    expect(fields.find((f) => f.name === 'Budget amount')?.schema?.type).toBe('number');
    expect(fields.find((f) => f.id === 'summary')?.custom).toBe(false);
  });

  it('answers myself and serverInfo', async () => {
    const me = await jira.call('GET', '/rest/api/3/myself');
    expect((me.body as { accountId: string }).accountId).toBe(jira.state.adminAccountId);
    const info = await jira.call('GET', '/rest/api/3/serverInfo');
    expect((info.body as { deploymentType: string }).deploymentType).toBe('Cloud');
  });
});

describe('create, read and edit issues', () => {
  it('creates an issue with ADF description and custom fields, and reads it back with a field selection', async () => {
    const created = await createIssue({
      summary: 'PO 4711 – lab pipettes',
      description: adf('Created by Ferry'),
      labels: ['ferry'],
      customfield_10050: 'PO004711',
      customfield_10053: 1234.5,
    });
    expect(created.key).toMatch(new RegExp(`^${projectKey}-\\d+$`));
    const full = await jira.call('GET', `/rest/api/3/issue/${created.key}`);
    expect(full.status).toBe(200);
    const issue = full.body as Issue;
    expect(issue.fields).toMatchObject({ summary: 'PO 4711 – lab pipettes', labels: ['ferry'], customfield_10050: 'PO004711', customfield_10053: 1234.5, status: { name: 'To Do' } });
    expect(issue.fields.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const some = await jira.call('GET', `/rest/api/3/issue/${created.id}?fields=summary,customfield_10050`);
    expect(Object.keys((some.body as Issue).fields).sort()).toEqual(['customfield_10050', 'summary']);
    const allBut = await jira.call('GET', `/rest/api/3/issue/${created.key.toLowerCase()}?fields=*all,-description`);
    expect((allBut.body as Issue).fields).not.toHaveProperty('description');
    expect((allBut.body as Issue).fields).toHaveProperty('summary');
  });

  it('refuses invalid fields with 400 { errorMessages, errors } naming each field', async () => {
    const res = await jira.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'NOPE' }, issuetype: { name: 'Task' }, description: 'plain text is not ADF', customfield_10053: 'lots', customfield_99999: 'x' } },
    });
    expect(res.status).toBe(400);
    const body = res.body as { errorMessages: string[]; errors: Record<string, string> };
    expect(body.errorMessages).toEqual([]);
    expect(body.errors).toMatchObject({
      project: 'Specify a valid project ID or key',
      summary: 'You must specify a summary of the issue.',
      customfield_10053: 'Operation value must be a number',
    });
    expect(body.errors.description).toMatch(/Atlassian Document/);
    expect(body.errors.customfield_99999).toMatch(/cannot be set/);
    const unknownType = await jira.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: projectKey }, issuetype: { id: '999' }, summary: 'x' } } });
    expect((unknownType.body as { errors: Record<string, string> }).errors.issuetype).toBeTruthy();
    const missing = await jira.call('GET', '/rest/api/3/issue/NOPE-1');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  });

  it('edits fields and labels (204), refuses a project change, and moves the issue through a transition', async () => {
    const { key } = await createIssue({ summary: 'To be edited', labels: ['a'] });
    const edit = await jira.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { summary: 'Edited', customfield_10051: 'CC300' }, update: { labels: [{ add: 'b' }, { remove: 'a' }] } } });
    expect(edit.status).toBe(204);
    const after = (await jira.call('GET', `/rest/api/3/issue/${key}?fields=summary,labels,customfield_10051`)).body as Issue;
    expect(after.fields).toEqual({ summary: 'Edited', labels: ['b'], customfield_10051: 'CC300' });
    const move = await jira.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { project: { key: 'OTHER' } } } });
    expect(move.status).toBe(400);
    expect((move.body as { errors: Record<string, string> }).errors.project).toMatch(/cannot be set/);

    const transitions = (await jira.call('GET', `/rest/api/3/issue/${key}/transitions`)).body as { transitions: { id: string; to: { name: string } }[] };
    const done = transitions.transitions.find((t) => t.to.name === 'Done')!;
    expect((await jira.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: done.id } } })).status).toBe(204);
    expect(((await jira.call('GET', `/rest/api/3/issue/${key}?fields=status`)).body as Issue).fields.status).toMatchObject({ name: 'Done', statusCategory: { key: 'done' } });
    expect((await jira.call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '999' } } })).status).toBe(400);
  });

  it('deletes an issue', async () => {
    const { key } = await createIssue({ summary: 'Short-lived' });
    expect((await jira.call('DELETE', `/rest/api/3/issue/${key}`)).status).toBe(204);
    expect((await jira.call('GET', `/rest/api/3/issue/${key}`)).status).toBe(404);
  });
});

describe('issue properties', () => {
  it('stores JSON under a key (201 then 200), lists, reads and deletes it', async () => {
    const { key } = await createIssue({ summary: 'Has properties' });
    const url = `/rest/api/3/issue/${key}/properties/ferry.link`;
    expect((await jira.call('PUT', url, { body: { po: 'PO0042', hash: 'abc', lines: [1, 2] } })).status).toBe(201);
    expect((await jira.call('PUT', url, { body: { po: 'PO0042', hash: 'def' } })).status).toBe(200);
    expect((await jira.call('GET', url)).body).toEqual({ key: 'ferry.link', value: { po: 'PO0042', hash: 'def' } });
    const keys = (await jira.call('GET', `/rest/api/3/issue/${key}/properties`)).body as { keys: { key: string }[] };
    expect(keys.keys.map((k) => k.key)).toEqual(['ferry.link']);
    const withProps = (await jira.call('GET', `/rest/api/3/issue/${key}?fields=summary&properties=ferry.link`)).body as Issue;
    expect(withProps.properties).toEqual({ 'ferry.link': { po: 'PO0042', hash: 'def' } });
    // Properties are not searchable without an app that indexes them.
    const search = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `issue.property[ferry.link].po = "PO0042"` } });
    expect(search.status).toBe(400);
    expect((await jira.call('DELETE', url)).status).toBe(204);
    expect((await jira.call('GET', url)).status).toBe(404);
  });
});

describe('JQL search', () => {
  it('pages with nextPageToken, returns only ids by default, and has no total', async () => {
    const jql = `project = ${projectKey} ORDER BY key ASC`;
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql, maxResults: 3, ...(token ? { nextPageToken: token } : {}) } });
      expect(res.status).toBe(200);
      const page = res.body as Page;
      expect(page).not.toHaveProperty('total');
      for (const i of page.issues) expect(Object.keys(i)).toEqual(['id']);
      seen.push(...page.issues.map((i) => i.id));
      token = page.nextPageToken;
      expect(page.isLast).toBe(token === undefined);
      pages++;
    } while (token);
    const expected = jira.state.issues.filter((i) => i.projectId === jira.state.projects[0]!.id).sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    expect(seen).toEqual(expected.map((i) => i.id));
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  it('returns the requested fields, and GET works like POST', async () => {
    const post = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = ${projectKey} ORDER BY created DESC`, fields: ['summary', 'customfield_10051'], maxResults: 2 } })).body as Page;
    expect(Object.keys(post.issues[0]!.fields).sort()).toEqual(['customfield_10051', 'summary']);
    expect(post.issues[0]!.key).toMatch(new RegExp(`^${projectKey}-`));
    const get = (await jira.call('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${projectKey} ORDER BY created DESC`)}&fields=summary&fields=customfield_10051&maxResults=2`)).body as Page;
    expect(get.issues.map((i) => i.id)).toEqual(post.issues.map((i) => i.id));
  });

  it('finds an issue by its CloudSuite PO with ~ (by name or cf[id]); = is refused on a text field', async () => {
    const { key } = await createIssue({ summary: 'PO lookup', customfield_10050: 'PO777123' });
    await createIssue({ summary: 'Other PO', customfield_10050: 'PO777124' });
    for (const jql of [`"CloudSuite PO" ~ "PO777123"`, `cf[10050] ~ "PO777123" AND project = ${projectKey}`]) {
      const page = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql, fields: ['customfield_10050'] } })).body as Page;
      expect(page.issues.map((i) => i.key)).toEqual([key]);
    }
    const eq = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `"CloudSuite PO" = "PO777123"` } });
    expect(eq.status).toBe(400);
    expect((eq.body as { errorMessages: string[] }).errorMessages[0]).toMatch(/operator '=' is not supported/);
  });

  it('supports key/issuekey IN, OR, updated >=, currentUser() and ordering', async () => {
    const a = await createIssue({ summary: 'Alpha', assignee: { accountId: jira.state.adminAccountId } });
    const b = await createIssue({ summary: 'Beta' });
    const page = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `issuekey in (${a.key}, ${b.key}) ORDER BY summary DESC`, fields: ['summary'] } })).body as Page;
    expect(page.issues.map((i) => i.fields.summary)).toEqual(['Beta', 'Alpha']);
    const or = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `key = ${a.key} OR key = ${b.key}` } })).body as Page;
    expect(or.issues.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    const mine = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `assignee = currentUser() AND project = ${projectKey}` } })).body as Page;
    expect(mine.issues.map((i) => i.id)).toEqual([a.id]);
    const since = new Date(jira.ctx.clock.now('jira') - 120_000).toISOString().slice(0, 16).replace('T', ' ');
    const recent = (await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = ${projectKey} AND updated >= "${since}"`, maxResults: 100 } })).body as Page;
    expect(recent.issues.map((i) => i.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(recent.issues.length).toBeLessThan(jira.state.issues.length);
  });

  it('refuses unbounded and broken JQL with Jira’s messages', async () => {
    for (const jql of ['', 'ORDER BY created DESC']) {
      const res = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
    }
    const unknownProject = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = NOSUCH' } });
    expect((unknownProject.body as { errorMessages: string[] }).errorMessages).toEqual(["The value 'NOSUCH' does not exist for the field 'project'."]);
    const syntax = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = ' } });
    expect(syntax.status).toBe(400);
    const badToken = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = ${projectKey}`, nextPageToken: 'garbage' } });
    expect(badToken.status).toBe(400);
    const unknownProperty = await jira.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = ${projectKey}`, startAt: 5 } });
    expect((unknownProperty.body as { errorMessages: string[] }).errorMessages[0]).toMatch(/Unrecognized field "startAt"/);
  });

  it('answers 410 Gone on the removed /rest/api/3/search', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await jira.call(method, '/rest/api/3/search', method === 'POST' ? { body: { jql: `project = ${projectKey}` } } : {});
      expect(res.status).toBe(410);
      expect((res.body as { errorMessages: string[] }).errorMessages[0]).toMatch(/has been removed.*\/rest\/api\/3\/search\/jql/);
    }
  });

  it('lags fresh writes when an index lag is set, unless the issue is reconciled', async () => {
    setJiraIndexLag(jira.state, 30);
    try {
      const { id, key } = await createIssue({ summary: 'Lagging', customfield_10050: 'PO555000' });
      const jql = `"CloudSuite PO" ~ "PO555000"`;
      const search = async (extra: object = {}): Promise<string[]> => ((await jira.call('POST', '/rest/api/3/search/jql', { body: { jql, ...extra } })).body as Page).issues.map((i) => i.id);
      expect(await search()).toEqual([]);
      expect(await search({ reconcileIssues: [Number(id)] })).toEqual([id]);
      expect((await jira.call('GET', `/rest/api/3/issue/${key}`)).status).toBe(200); // reads by key are current
      jira.ctx.clock.advance(31_000);
      expect(await search()).toEqual([id]);
      // An edit keeps the old version searchable until the lag has passed.
      await jira.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { customfield_10050: 'PO555001' } } });
      expect(await search()).toEqual([id]);
      jira.ctx.clock.advance(31_000);
      expect(await search()).toEqual([]);
    } finally {
      setJiraIndexLag(jira.state, 0);
    }
  });
});

describe('contract', () => {
  it('every response of this file conforms to the Jira OpenAPI description', () => {
    expectConformance(jira.recorded, 40);
  });
});
