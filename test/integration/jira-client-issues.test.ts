import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraError, type AdfDoc } from '../../electron/engine/connectors/jira';
import { ConnectorError } from '../../electron/engine/http/errors';
import { setJiraRateLimit } from '../../electron/engine/sandbox/jira';
import { AUTH_KINDS, connect, startProxy, type ProxyAction } from './jira-client-harness';
import { expectRequestConformance, specValidator, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Issues through Ferry's Jira client against the sandbox Jira: create (ADF, custom fields), edit, read,
// find by the "CloudSuite PO" text field across pages, issue properties, Jira's 400s as JiraError, a create
// whose answer is lost, and a 429 waited out. Every request is checked against the OpenAPI description.

const PO = 'customfield_10050';
const BUDGET = 'customfield_10053';

let jira: JiraSandbox;
let project: string;
let other: string;

beforeAll(async () => {
  jira = await startJira({ seed: 7 });
  project = jira.state.projects[0]!.key;
  other = jira.state.projects[1]!.key;
});
afterAll(() => jira.close());

const doc = (text: string): AdfDoc => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const issuesWithPo = (value: string) => jira.state.issues.filter((i) => i.custom[PO] === value);

describe('create, update, get', () => {
  it('creates an issue with an ADF description and custom fields, with each kind of sign-in', async () => {
    for (const kind of AUTH_KINDS) {
      const { client } = connect(jira, kind);
      const po = `PO-${kind}-1`;
      const created = await client.issues.create(
        { project, issueType: { name: 'Purchase Order' }, summary: `Purchase order ${po}`, description: doc(`Created by Ferry (${kind})`), labels: ['ferry'], customFields: { [PO]: po, [BUDGET]: 1250 } },
        { fieldId: PO, value: po },
      );
      expect(created.key, kind).toMatch(new RegExp(`^${project}-\\d+$`));
      const stored = jira.state.issues.find((i) => i.key === created.key)!;
      expect(stored).toMatchObject({ id: created.id, summary: `Purchase order ${po}`, labels: ['ferry'], description: doc(`Created by Ferry (${kind})`) });
      expect(stored.custom).toMatchObject({ [PO]: po, [BUDGET]: 1250 });
    }
  });

  it('updates with PUT and reads back exactly the fields asked for', async () => {
    const { client } = connect(jira, 'basic');
    const { key } = await client.issues.create({ project, issueType: { id: '10001' }, summary: 'Before', customFields: { [PO]: 'PO-UPD-1' } });
    await client.issues.update(key, { summary: 'After', customFields: { [BUDGET]: 99.5 }, description: doc('Edited') });
    const issue = await client.issues.get(key, ['summary', BUDGET, PO]);
    expect(issue).toEqual({ id: expect.any(String), key, fields: { summary: 'After', [BUDGET]: 99.5, [PO]: 'PO-UPD-1' } });
    expect(jira.sent.filter((r) => r.method === 'PUT' && r.url === `/rest/api/3/issue/${key}`)).toHaveLength(1);
    expect(await client.issues.get(`${project}-99999`, ['summary'])).toBeNull();
  });

  it('turns Jira’s 400 into a JiraError naming every field', async () => {
    const { client } = connect(jira, 'pat');
    const err = await client.issues.create({ project, issueType: { name: 'Task' }, summary: '', customFields: { [BUDGET]: 'a lot' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JiraError);
    const e = err as JiraError;
    expect(e).toMatchObject({ code: 'jira_rejected', status: 400, retryable: false, system: 'Jira' });
    expect(Object.keys(e.fieldErrors).sort()).toEqual(['customfield_10053', 'summary']);
    expect(e.message).toMatch(/^Jira refused creating an issue in \w+: /);
    expect(e.message).toMatch(/summary: You must specify a summary/);
    expect(e.message).toMatch(/customfield_10053: Operation value must be a number/);
    expect(e.capture?.status).toBe(400);

    const missing = await client.issues.update(`${project}-99999`, { summary: 'x' }).catch((x: unknown) => x);
    expect(missing).toMatchObject({ code: 'jira_not_found', status: 404 });
    expect((missing as JiraError).message).toMatch(/Issue does not exist/);
  });
});

describe('answers checked at the edge', () => {
  it('tolerate extra fields, name a missing one, and call a cut-off answer worth retrying', async () => {
    const key = jira.state.issues[1]!.key;
    let mode: 'extra' | 'no-key' | 'cut' = 'extra';
    const proxy = await startProxy(jira.base, (method, url) =>
      method === 'GET' && url.startsWith(`/rest/api/3/issue/${key}?`)
        ? { rewrite: (body) => (mode === 'extra' ? body.replace('{', '{"somethingNew":{"a":1},') : mode === 'no-key' ? body.replace(/"key":"[^"]*",?/, '') : body.slice(0, 40)) }
        : 'forward',
    );
    try {
      const { client } = connect(jira, 'basic', { via: proxy.url });
      expect(await client.issues.get(key, ['summary'])).toMatchObject({ key, fields: { summary: jira.state.issues[1]!.summary } });
      mode = 'no-key';
      const missing = await client.issues.get(key, ['summary']).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ConnectorError);
      expect(missing).toMatchObject({ code: 'jira_bad_response', retryable: false, message: `Jira's answer to loading issue ${key} lacks key, so Ferry cannot use it.` });
      mode = 'cut';
      expect(await client.issues.get(key, ['summary']).catch((e: unknown) => e)).toMatchObject({ code: 'jira_bad_response', retryable: true });
    } finally {
      await proxy.close();
    }
  });
});

describe('find by the CloudSuite PO field', () => {
  it('pages with nextPageToken and keeps only exact matches of the word search', async () => {
    const { client } = connect(jira, 'oauth', { searchPageSize: 2 });
    const basic = connect(jira, 'basic').client;
    const value = 'PO-7001';
    const make = (proj: string, po: string) => basic.issues.create({ project: proj, issueType: { name: 'Task' }, summary: `Lookup ${po}`, customFields: { [PO]: po } });
    const exact = [];
    for (let i = 0; i < 5; i++) exact.push(await make(project, value));
    // The same words, but not the same value; and the same value in another project.
    await make(project, 'PO 7001');
    await make(project, 'PO-7001 rev 2');
    await make(other, value);

    const from = jira.sent.length;
    const found = await client.issues.findByTextField({ project, fieldId: PO, value, fields: ['summary'] });
    expect(found.map((i) => i.key).sort()).toEqual(exact.map((i) => i.key).sort());
    expect(found.every((i) => i.fields[PO] === value && i.fields.summary === `Lookup ${value}`)).toBe(true);

    const searches = jira.sent.slice(from).filter((r) => r.url.endsWith('/rest/api/3/search/jql'));
    expect(searches.length).toBeGreaterThanOrEqual(4); // 7 word matches, 2 a page
    const bodies = searches.map((r) => r.body as { jql: string; fields: string[]; maxResults: number; nextPageToken?: string });
    expect(bodies[0]).toEqual({ jql: `project = "${project}" AND cf[10050] ~ "PO 7001"`, fields: [PO, 'summary'], maxResults: 2 });
    expect(bodies.slice(1).every((b) => typeof b.nextPageToken === 'string')).toBe(true);
    expect(await client.issues.findByTextField({ project, fieldId: PO, value: 'PO-0000-none' })).toEqual([]);
  });

  it('keeps a hostile value inside its JQL literal', async () => {
    const { client } = connect(jira, 'basic');
    const value = 'PO "1" OR project is not EMPTY \\';
    const { key } = await client.issues.create({ project, issueType: { name: 'Task' }, summary: 'Quoted', customFields: { [PO]: value } });
    expect((await client.issues.findByTextField({ project, fieldId: PO, value })).map((i) => i.key)).toEqual([key]);
  });
});

describe('issue properties', () => {
  it('sets and gets JSON values, and answers null for a missing property or issue', async () => {
    const { client } = connect(jira, 'oauth');
    const key = jira.state.issues[2]!.key;
    await client.issues.setProperty(key, 'ferry.sync', { po: 'PO-1', hash: 'abc', lines: [1, 2] });
    expect(await client.issues.getProperty(key, 'ferry.sync')).toEqual({ key: 'ferry.sync', value: { po: 'PO-1', hash: 'abc', lines: [1, 2] } });
    await client.issues.setProperty(key, 'ferry.note', 'just text');
    expect((await client.issues.getProperty(key, 'ferry.note'))?.value).toBe('just text');
    expect(jira.state.issues[2]!.properties['ferry.note']).toBe('just text');
    expect(await client.issues.getProperty(key, 'ferry.none')).toBeNull();
    expect(await client.issues.getProperty(`${project}-99999`, 'ferry.sync')).toBeNull();
  });
});

describe('a create whose answer is lost', () => {
  async function lossy(action: ProxyAction) {
    let armed = true;
    const proxy = await startProxy(jira.base, (method, url) => {
      if (armed && method === 'POST' && url === '/rest/api/3/issue') {
        armed = false;
        return action;
      }
      return 'forward';
    });
    return { proxy, client: connect(jira, 'basic', { via: proxy.url }).client };
  }

  it('is not sent again when the search finds it: the caller gets a "may or may not" error', async () => {
    const { proxy, client } = await lossy('drop-after');
    try {
      const po = 'PO-LOST-1';
      const err = await client.issues.create({ project, issueType: { name: 'Task' }, summary: 'Lost answer', customFields: { [PO]: po } }, { fieldId: PO, value: po }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err).toMatchObject({ code: 'write_uncertain', retryable: true });
      expect(issuesWithPo(po)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('is sent again when the search proves it did not happen, and exists once', async () => {
    const { proxy, client } = await lossy('drop-before');
    try {
      const po = 'PO-LOST-2';
      const created = await client.issues.create({ project, issueType: { name: 'Task' }, summary: 'Never arrived', customFields: { [PO]: po } }, { fieldId: PO, value: po });
      expect(issuesWithPo(po).map((i) => i.key)).toEqual([created.key]);
    } finally {
      await proxy.close();
    }
  });

  it('is never sent again without a field to look for it by', async () => {
    const { proxy, client } = await lossy('drop-before');
    try {
      const err = await client.issues.create({ project, issueType: { name: 'Task' }, summary: 'No identity', customFields: { [PO]: 'PO-LOST-3' } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'write_uncertain' });
      expect(issuesWithPo('PO-LOST-3')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe('rate limit', () => {
  it('waits out a 429 for at least as long as Retry-After says, then succeeds', async () => {
    // Through a proxy: its own host, so the request budget this teaches is not shared with the other tests.
    const proxy = await startProxy(jira.base, () => 'forward');
    const { client, waits } = connect(jira, 'basic', { via: proxy.url });
    const key = jira.state.issues[0]!.key;
    setJiraRateLimit(jira.state, { perMinute: 20 });
    try {
      for (let i = 0; i < 20; i++) await client.issues.get(key, ['summary']);
      // Near the end of Jira's one-minute window, so that Retry-After is about two seconds.
      jira.ctx.clock.advance(58_500);
      const from = jira.sent.length;
      const started = Date.now();
      expect((await client.issues.get(key, ['summary']))?.key).toBe(key);
      const elapsed = Date.now() - started;
      expect(jira.sent.slice(from).map((r) => r.status)).toEqual([429, 200]);
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(10_000);
      expect(waits.reduce((sum, w) => sum + w.ms, 0)).toBeGreaterThanOrEqual(1900);
    } finally {
      setJiraRateLimit(jira.state, null);
      await proxy.close();
    }
  });
});

describe('requests', () => {
  it('match the official OpenAPI description', () => {
    expectRequestConformance(jira.sent, 30);
  });

  it('are checked by a validator that does reject wrong ones', () => {
    const v = specValidator();
    expect(v.validateRequest('POST', '/rest/api/3/search/jql', { jql: 'project = A', fields: ['summary'] }).checked).toBe(true);
    expect(v.validateRequest('POST', '/rest/api/3/search/jql', { jql: 'project = A', startAt: 50 }).error).toMatch(/additional properties \(startAt\)/);
    expect(v.validateRequest('POST', '/rest/api/3/search/jql', { jql: 'project = A', fields: 'summary' }).error).toMatch(/\/fields must be array/);
    expect(v.validateRequest('POST', '/rest/api/3/worklog/list', { ids: ['1', '2'] }).error).toMatch(/\/ids\/0 must be integer/);
    expect(v.validateRequest('PUT', '/rest/api/3/webhook/refresh', { ids: [1] }).error).toMatch(/webhookIds/);
    expect(v.validateRequest('GET', '/rest/api/3/issue/A-1?fields=summary&expand=names').checked).toBe(true);
    expect(v.validateRequest('GET', '/rest/api/3/issue/A-1?field=summary', undefined).error).toMatch(/query parameters not in the spec: field/);
    expect(v.validateRequest('GET', '/rest/api/3/issue/A-1', { fields: {} }).error).toMatch(/a body on an operation that takes none/);
    expect(v.validateRequest('POST', '/rest/webhooks/1.0/webhook', {}).skipped).toBe('outside the REST v3 spec');
  });
});
