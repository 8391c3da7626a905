import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JiraError, verifyHubSignature } from '../../electron/engine/connectors/jira';
import { flushJiraDeliveries, setJiraDeliveryOptions } from '../../electron/engine/sandbox/jira';
import { connect, startProxy, startReceiver } from './jira-client-harness';
import { expectRequestConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Webhooks through Ferry's Jira client: dynamic ones (OAuth 2.0 only; 30-day life, refreshed), admin ones
// with a secret and a real signed delivery to a receiver on 127.0.0.1, checked with verifyHubSignature.

const DAY = 86_400_000;
let jira: JiraSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let project: string;

beforeAll(async () => {
  jira = await startJira({ seed: 9 });
  setJiraDeliveryOptions(jira.state, { retries: 0, backoffMs: 10, timeoutMs: 2000 });
  receiver = await startReceiver();
  project = jira.state.projects[0]!.key;
});
afterAll(async () => {
  await flushJiraDeliveries(jira.state);
  await receiver.close();
  await jira.close();
});
beforeEach(async () => {
  await flushJiraDeliveries(jira.state);
  receiver.got.length = 0;
});

describe('verifyHubSignature', () => {
  it('accepts Atlassian’s published test vector and nothing else', () => {
    const secret = "It's a Secret to Everybody";
    const good = 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9';
    expect(verifyHubSignature(secret, 'Hello World!', good)).toBe(true);
    expect(verifyHubSignature(secret, Buffer.from('Hello World!'), good.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(verifyHubSignature(secret, 'Hello World?', good)).toBe(false);
    expect(verifyHubSignature('another secret', 'Hello World!', good)).toBe(false);
    expect(verifyHubSignature(secret, 'Hello World!', good.slice(0, -2))).toBe(false);
    expect(verifyHubSignature(secret, 'Hello World!', good.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyHubSignature(secret, 'Hello World!', undefined)).toBe(false);
    expect(verifyHubSignature('', 'Hello World!', good)).toBe(false);
  });
});

describe('dynamic webhooks', () => {
  it('register, list, refresh and delete with OAuth 2.0; a bad filter is reported per webhook', async () => {
    const { client, saved } = connect(jira, 'oauth');
    const results = await client.webhooks.register(receiver.url, [
      { events: ['jira:issue_created', 'jira:issue_updated'], jqlFilter: `project = ${project}` },
      { events: ['jira:issue_created'], jqlFilter: 'summary ~ "x"' },
    ]);
    expect(results[0]).toEqual({ ok: true, id: expect.any(Number) });
    expect(results[1]).toMatchObject({ ok: false, errors: [expect.stringMatching(/summary/)] });
    const id = (results[0] as { id: number }).id;

    const listed = await client.webhooks.list();
    expect(listed).toEqual([{ id, url: receiver.url, events: ['jira:issue_created', 'jira:issue_updated'], jqlFilter: `project = ${project}`, expirationDate: expect.any(Number) }]);
    const expiry = listed[0]!.expirationDate!;
    expect(expiry - jira.ctx.clock.now('jira')).toBeGreaterThan(30 * DAY - 60_000);

    // 20 days on (the access token long expired on Jira's clock: renewed and saved on the way).
    jira.ctx.clock.advance(20 * DAY);
    const refreshed = await client.webhooks.refresh([id]);
    expect(refreshed - expiry).toBeGreaterThanOrEqual(20 * DAY - 1000);
    expect((await client.webhooks.list())[0]!.expirationDate).toBe(refreshed);
    expect(saved).toHaveLength(2);

    // Events arrive while it lives.
    await connect(jira, 'basic').client.issues.create({ project, issueType: { name: 'Task' }, summary: 'Seen by the webhook' });
    await flushJiraDeliveries(jira.state);
    expect(receiver.got.map((g) => (JSON.parse(g.raw) as { webhookEvent: string }).webhookEvent)).toEqual(['jira:issue_created']);

    await client.webhooks.delete([id]);
    expect(await client.webhooks.list()).toEqual([]);
  });

  it('accept an expirationDate that comes back as a date string', async () => {
    const iso = '2031-05-06T07:08:09.000+0000';
    const proxy = await startProxy(jira.base, (method, url) =>
      method === 'PUT' && url.endsWith('/rest/api/3/webhook/refresh') ? { rewrite: (body) => body.replace(/"expirationDate":\d+/, `"expirationDate":"${iso}"`) } : 'forward',
    );
    try {
      const { client } = connect(jira, 'oauth', { via: proxy.url });
      const [r] = await client.webhooks.register(receiver.url, [{ events: ['jira:issue_deleted'], jqlFilter: `project = ${project}` }]);
      const id = (r as { id: number }).id;
      expect(await client.webhooks.refresh([id])).toBe(Date.parse('2031-05-06T07:08:09Z'));
      await client.webhooks.delete([id]);
    } finally {
      await proxy.close();
    }
  });

  it('refuse API-token and PAT connections with a typed error that says what to do', async () => {
    for (const kind of ['basic', 'pat'] as const) {
      const { client } = connect(jira, kind);
      const err = await client.webhooks.register(receiver.url, [{ events: ['jira:issue_created'], jqlFilter: `project = ${project}` }]).catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(JiraError);
      expect(err).toMatchObject({ code: 'jira_forbidden', status: 403, retryable: false });
      expect((err as JiraError).message).toMatch(/^Jira lets only OAuth 2.0 apps manage dynamic webhooks.*Connect Jira with OAuth 2.0 in Connections, or use an admin webhook instead\. Jira said: Only Connect and OAuth 2.0 apps/);
      await expect(client.webhooks.list()).rejects.toMatchObject({ code: 'jira_forbidden' });
      await expect(client.webhooks.refresh([1])).rejects.toMatchObject({ code: 'jira_forbidden' });
    }
  });
});

describe('admin webhooks', () => {
  it('create with a secret, deliver a signed event that verifyHubSignature accepts, list and delete', async () => {
    const { client } = connect(jira, 'basic');
    const secret = crypto.randomBytes(24).toString('base64url');
    const hook = await client.adminWebhooks.create({ name: 'Ferry time sync', url: receiver.url, events: ['worklog_created', 'worklog_updated', 'worklog_deleted', 'jira:issue_created'], jql: `project = ${project}`, secret });
    expect(hook).toMatchObject({ id: expect.stringMatching(/^\d+$/), name: 'Ferry time sync', url: receiver.url, jql: `project = ${project}`, enabled: true });
    expect(jira.state.adminWebhooks.find((w) => String(w.id) === hook.id)?.secret).toBe(secret);

    const issue = jira.state.issues.find((i) => i.projectId === jira.state.projects[0]!.id)!;
    await jira.call('POST', `/rest/api/3/issue/${issue.key}/worklog`, { body: { timeSpentSeconds: 3600, started: '2024-03-04T09:00:00.000+0530' } });
    await flushJiraDeliveries(jira.state);
    expect(receiver.got).toHaveLength(1);
    const [delivery] = receiver.got as [(typeof receiver.got)[number]];
    const header = delivery.headers['x-hub-signature'];
    expect(verifyHubSignature(secret, delivery.raw, header)).toBe(true);
    expect(verifyHubSignature(secret, delivery.raw.replace('3600', '7200'), header)).toBe(false);
    expect(verifyHubSignature('not the secret', delivery.raw, header)).toBe(false);
    expect(JSON.parse(delivery.raw)).toMatchObject({ webhookEvent: 'worklog_created', worklog: { started: '2024-03-04T09:00:00.000+0530', timeSpentSeconds: 3600 } });

    expect((await client.adminWebhooks.list()).map((w) => w.id)).toEqual([hook.id]);
    await client.adminWebhooks.delete(hook.id);
    expect(await client.adminWebhooks.list()).toEqual([]);
  });

  it('are refused to an OAuth connection with a typed error', async () => {
    const { client } = connect(jira, 'oauth');
    const err = await client.adminWebhooks.create({ name: 'x', url: receiver.url, events: ['worklog_created'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toMatchObject({ code: 'jira_forbidden', status: 403 });
    expect((err as JiraError).message).toMatch(/^Admin webhooks need a Jira administrator's API token/);
  });
});

describe('requests', () => {
  it('match the official OpenAPI description', () => {
    expectRequestConformance(jira.sent, 8);
  });
});
