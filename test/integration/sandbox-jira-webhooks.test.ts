import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flushJiraDeliveries, hubSignature, setJiraDeliveryOptions } from '../../electron/engine/sandbox/jira';
import { expectConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Webhooks of the sandbox Jira: dynamic ones (OAuth apps only, 30-day life, no worklog events) and admin
// ones (API token, secret-signed, worklog events), delivered over real HTTP to a receiver on 127.0.0.1.

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown> | null;
}

/** A webhook receiver; `failNext` answers the next N requests with that status. */
function receiver() {
  const got: Received[] = [];
  const control = { failNext: 0, failStatus: 503 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ headers: req.headers, raw, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : null });
      if (control.failNext > 0) {
        control.failNext--;
        res.writeHead(control.failStatus).end();
      } else res.writeHead(204).end();
    });
  });
  return { got, control, server };
}

let jira: JiraSandbox;
const hook = receiver();
let hookUrl: string;
let projectKey: string;
let otherKey: string;

beforeAll(async () => {
  jira = await startJira();
  setJiraDeliveryOptions(jira.state, { retries: 2, backoffMs: 20, timeoutMs: 2000 });
  await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/jira`;
  projectKey = jira.state.projects[0]!.key;
  otherKey = jira.state.projects[1]!.key;
});
afterAll(async () => {
  await flushJiraDeliveries(jira.state);
  await jira.close();
  await new Promise((resolve) => hook.server.close(resolve));
});
beforeEach(async () => {
  await flushJiraDeliveries(jira.state);
  hook.got.length = 0;
  hook.control.failNext = 0;
});

const createIssue = async (project: string, summary: string): Promise<string> => {
  const res = await jira.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: project }, issuetype: { name: 'Task' }, summary } } });
  expect(res.status).toBe(201);
  return (res.body as { key: string }).key;
};

describe('X-Hub-Signature', () => {
  it('matches Atlassian’s published test vector', () => {
    expect(hubSignature("It's a Secret to Everybody", 'Hello World!')).toBe('sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9');
  });
});

describe('dynamic webhooks', () => {
  const register = (body: unknown, via: 'gateway' | 'site' = 'gateway', auth?: 'basic' | 'pat') => jira.call('POST', '/rest/api/3/webhook', { body, via, ...(auth ? { auth } : {}) });

  it('are refused (403) to API-token and PAT callers', async () => {
    const body = { url: hookUrl, webhooks: [{ events: ['jira:issue_created'], jqlFilter: `project = ${projectKey}` }] };
    for (const auth of ['basic', 'pat'] as const) {
      const res = await register(body, 'site', auth);
      expect(res.status).toBe(403);
      expect((res.body as { errorMessages: string[] }).errorMessages[0]).toMatch(/OAuth 2.0 apps/);
      expect((await jira.call('GET', '/rest/api/3/webhook', { auth })).status).toBe(403);
      expect((await jira.call('PUT', '/rest/api/3/webhook/refresh', { auth, body: { webhookIds: [1] } })).status).toBe(403);
    }
  });

  it('need a jqlFilter and a loopback URL, take no worklog events, and report bad JQL per webhook', async () => {
    expect((await register({ url: hookUrl, webhooks: [{ events: ['jira:issue_created'] }] })).status).toBe(400);
    expect((await register({ url: 'https://example.com/hook', webhooks: [{ events: ['jira:issue_created'], jqlFilter: `project = ${projectKey}` }] })).status).toBe(400);
    expect((await register({ url: hookUrl, webhooks: [{ events: ['worklog_created'], jqlFilter: `project = ${projectKey}` }] })).status).toBe(400);
    const mixed = await register({ url: hookUrl, webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'summary ~ "x"' }, { events: ['jira:issue_created'], jqlFilter: `project = ${projectKey}` }] });
    expect(mixed.status).toBe(200);
    const results = (mixed.body as { webhookRegistrationResult: { createdWebhookId?: number; errors?: string[] }[] }).webhookRegistrationResult;
    expect(results[0]!.errors?.[0]).toMatch(/summary/);
    expect(results[1]!.createdWebhookId).toBeGreaterThan(0);
    await jira.call('DELETE', '/rest/api/3/webhook', { via: 'gateway', body: { webhookIds: [results[1]!.createdWebhookId] } });
  });

  it('deliver matching issue and property events (never worklog events), expire after 30 days, and live on when refreshed', async () => {
    const reg = await register({ url: hookUrl, webhooks: [{ events: ['jira:issue_created', 'issue_property_set'], jqlFilter: `project = ${projectKey}` }] });
    const id = (reg.body as { webhookRegistrationResult: { createdWebhookId: number }[] }).webhookRegistrationResult[0]!.createdWebhookId;
    const listed = (await jira.call('GET', '/rest/api/3/webhook', { via: 'gateway' })).body as { values: { id: number; expirationDate: number }[] };
    const expiry = listed.values.find((w) => w.id === id)!.expirationDate;
    expect(expiry - jira.ctx.clock.now('jira')).toBeGreaterThan(30 * 86_400_000 - 60_000);
    expect(expiry - jira.ctx.clock.now('jira')).toBeLessThanOrEqual(30 * 86_400_000);

    const key = await createIssue(projectKey, 'Dynamic one');
    await createIssue(otherKey, 'Not matched');
    await jira.call('POST', `/rest/api/3/issue/${key}/worklog`, { body: { timeSpentSeconds: 600, started: '2024-01-01T10:00:00.000+0000' } });
    await jira.call('PUT', `/rest/api/3/issue/${key}/properties/ferry`, { body: { v: 1 } });
    await flushJiraDeliveries(jira.state);
    expect(hook.got.map((g) => g.body?.webhookEvent)).toEqual(['jira:issue_created', 'issue_property_set']);
    expect(hook.got[0]!.body).toMatchObject({ matchedWebhookIds: [id], issue: { key } });
    expect(hook.got[0]!.headers['x-hub-signature']).toBeUndefined();

    // 29 days on, a refresh gives another 30 days from now.
    jira.ctx.clock.advance(29 * 86_400_000);
    const refreshed = await jira.call('PUT', '/rest/api/3/webhook/refresh', { via: 'gateway', body: { webhookIds: [id] } });
    const newExpiry = (refreshed.body as { expirationDate: number }).expirationDate;
    expect(newExpiry - expiry).toBeGreaterThanOrEqual(29 * 86_400_000);
    jira.ctx.clock.advance(29 * 86_400_000);
    hook.got.length = 0;
    await createIssue(projectKey, 'Still delivered');
    await flushJiraDeliveries(jira.state);
    expect(hook.got).toHaveLength(1);

    // Past the expiry the webhook is gone and nothing is delivered.
    jira.ctx.clock.advance(2 * 86_400_000);
    hook.got.length = 0;
    await createIssue(projectKey, 'After expiry');
    await flushJiraDeliveries(jira.state);
    expect(hook.got).toEqual([]);
    expect(((await jira.call('GET', '/rest/api/3/webhook', { via: 'gateway' })).body as { values: unknown[] }).values).toEqual([]);
  });
});

describe('failed dynamic deliveries', () => {
  it('are listed by GET /rest/api/3/webhook/failed', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => probe.close(resolve));
    const reg = await jira.call('POST', '/rest/api/3/webhook', { via: 'gateway', body: { url: deadUrl, webhooks: [{ events: ['jira:issue_created'], jqlFilter: `project = ${otherKey}` }] } });
    const id = (reg.body as { webhookRegistrationResult: { createdWebhookId: number }[] }).webhookRegistrationResult[0]!.createdWebhookId;
    await createIssue(otherKey, 'Lost in the post');
    await flushJiraDeliveries(jira.state);
    const failed = (await jira.call('GET', '/rest/api/3/webhook/failed', { via: 'gateway' })).body as { values: { id: string; url: string }[] };
    expect(failed.values.map((f) => f.url)).toEqual([deadUrl]);
    expect(failed.values[0]!.id).toBe(jira.state.deliveries.at(-1)!.id);
    await jira.call('DELETE', '/rest/api/3/webhook', { via: 'gateway', body: { webhookIds: [id] } });
  });
});

describe('admin webhooks', () => {
  const register = (body: Record<string, unknown>, auth: 'basic' | 'pat' = 'basic') => jira.call('POST', '/rest/webhooks/1.0/webhook', { body, auth });

  it('refuse URLs off the machine and OAuth callers', async () => {
    for (const url of ['https://example.com/hook', 'http://10.0.0.5/hook', 'http://127.0.0.1.nip.io/hook', 'ftp://127.0.0.1/hook', 'not a url']) {
      const res = await register({ name: 'x', url, events: ['jira:issue_created'] });
      expect(res.status, url).toBe(400);
    }
    expect((await jira.call('POST', '/rest/webhooks/1.0/webhook', { via: 'gateway', body: { name: 'x', url: hookUrl, events: ['jira:issue_created'] } })).status).toBe(403);
    expect(jira.state.adminWebhooks).toEqual([]);
  });

  it('deliver signed events, retry after a failure with the same identifier, and log the attempts', async () => {
    const secret = crypto.randomBytes(16).toString('hex');
    const reg = await register({ name: 'Ferry', url: hookUrl, events: ['jira:issue_created', 'worklog_created'], filters: { 'issue-related-events-section': `project = ${projectKey}` }, excludeBody: false, secret });
    expect(reg.status).toBe(201);
    const id = Number(String((reg.body as { self: string }).self).split('/').pop());

    hook.control.failNext = 1;
    const key = await createIssue(projectKey, 'Signed');
    await createIssue(otherKey, 'Filtered out');
    await flushJiraDeliveries(jira.state);
    expect(hook.got).toHaveLength(2);
    const [first, retry] = hook.got as [Received, Received];
    expect(first.headers['x-atlassian-webhook-identifier']).toBeTruthy();
    expect(retry.headers['x-atlassian-webhook-identifier']).toBe(first.headers['x-atlassian-webhook-identifier']);
    expect(retry.headers['x-atlassian-webhook-retry']).toBe('1');
    for (const g of hook.got) {
      const expected = `sha256=${crypto.createHmac('sha256', secret).update(g.raw).digest('hex')}`;
      expect(g.headers['x-hub-signature']).toBe(expected);
    }
    expect(retry.body).toMatchObject({ webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue: { key, fields: { summary: 'Signed' } } });
    const record = jira.state.deliveries.find((d) => d.id === first.headers['x-atlassian-webhook-identifier'])!;
    expect(record).toMatchObject({ webhook: 'admin', webhookIds: [id], event: 'jira:issue_created', issueKey: key, outcome: 'delivered' });
    expect(record.attempts.map((a) => a.status)).toEqual([503, 204]);

    hook.got.length = 0;
    const wl = await jira.call('POST', `/rest/api/3/issue/${key}/worklog`, { body: { timeSpentSeconds: 1800, started: '2024-01-01T10:00:00.000+0100' } });
    await flushJiraDeliveries(jira.state);
    expect(hook.got.map((g) => g.body)).toMatchObject([{ webhookEvent: 'worklog_created', worklog: { id: (wl.body as { id: string }).id, started: '2024-01-01T10:00:00.000+0100' } }]);

    expect(((await jira.call('GET', '/rest/webhooks/1.0/webhook')).body as { name: string }[]).map((w) => w.name)).toEqual(['Ferry']);
    expect((await jira.call('GET', `/rest/webhooks/1.0/webhook/${id}`)).body).toMatchObject({ name: 'Ferry', filters: { 'issue-related-events-section': `project = ${projectKey}` } });
    expect((await jira.call('DELETE', `/rest/webhooks/1.0/webhook/${id}`)).status).toBe(204);
    expect((await jira.call('GET', `/rest/webhooks/1.0/webhook/${id}`)).status).toBe(404);
  });

  it('follow a worklog with jira:issue_updated (issue_work_logged), which a dynamic fieldIdsFilter can leave out', async () => {
    const reg = await register({ name: 'Updates', url: hookUrl, events: ['jira:issue_updated'], filters: { 'issue-related-events-section': `project = ${projectKey}` } });
    const dyn = await jira.call('POST', '/rest/api/3/webhook', { via: 'gateway', body: { url: hookUrl, webhooks: [{ events: ['jira:issue_updated'], jqlFilter: `project = ${projectKey}`, fieldIdsFilter: ['summary'] }] } });
    const dynId = (dyn.body as { webhookRegistrationResult: { createdWebhookId: number }[] }).webhookRegistrationResult[0]!.createdWebhookId;
    const key = await createIssue(projectKey, 'Work on me');
    await jira.call('POST', `/rest/api/3/issue/${key}/worklog`, { body: { timeSpentSeconds: 3600, started: '2024-01-01T10:00:00.000+0000' } });
    await flushJiraDeliveries(jira.state);
    expect(hook.got.map((g) => [g.body?.webhookEvent, g.body?.issue_event_type_name, 'matchedWebhookIds' in (g.body ?? {})])).toEqual([['jira:issue_updated', 'issue_work_logged', false]]);
    expect(hook.got[0]!.body).toMatchObject({ changelog: { items: [{ fieldId: 'timespent', from: '0', to: '3600' }] } });
    hook.got.length = 0;
    await jira.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { summary: 'Renamed' } } });
    await flushJiraDeliveries(jira.state);
    expect(hook.got.map((g) => 'matchedWebhookIds' in (g.body ?? {})).sort()).toEqual([false, true]);
    await jira.call('DELETE', `/rest/webhooks/1.0/webhook/${String((reg.body as { self: string }).self).split('/').pop()}`);
    await jira.call('DELETE', '/rest/api/3/webhook', { via: 'gateway', body: { webhookIds: [dynId] } });
  });

  it('give up on a 4xx at once, retry a dead receiver a few times, and send an empty body with excludeBody', async () => {
    const reg = await register({ name: 'Bare', url: hookUrl, events: ['jira:issue_created'], excludeBody: true }, 'pat');
    const id = Number(String((reg.body as { self: string }).self).split('/').pop());
    hook.control.failNext = 1;
    hook.control.failStatus = 400;
    await createIssue(projectKey, 'Bare');
    await flushJiraDeliveries(jira.state);
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.raw).toBe('');
    expect(jira.state.deliveries.at(-1)).toMatchObject({ outcome: 'failed', attempts: [{ status: 400 }] });
    await jira.call('DELETE', `/rest/webhooks/1.0/webhook/${id}`);
    hook.control.failStatus = 503;

    // A port nobody listens on: connection refused, retried, then given up.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => probe.close(resolve));
    const dead = await register({ name: 'Dead', url: deadUrl, events: ['jira:issue_created'] });
    await createIssue(projectKey, 'Nobody listens');
    await flushJiraDeliveries(jira.state);
    const record = jira.state.deliveries.at(-1)!;
    expect(record).toMatchObject({ url: deadUrl, outcome: 'failed' });
    expect(record.attempts).toHaveLength(3);
    expect(record.attempts.every((a) => a.status === null && a.error)).toBe(true);
    await jira.call('DELETE', `/rest/webhooks/1.0/webhook/${String((dead.body as { self: string }).self).split('/').pop()}`);
  });

  it('do not hold up the API response', async () => {
    // The receiver answers only after a pause; the create must have returned before it does.
    let answeredAt = Infinity;
    const slow = http.createServer((_req, res) => setTimeout(() => {
      answeredAt = performance.now();
      res.writeHead(204).end();
    }, 300));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const reg = await register({ name: 'Slow', url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, events: ['jira:issue_created'] });
    await createIssue(projectKey, 'Fast answer');
    expect(performance.now()).toBeLessThan(answeredAt);
    expect(jira.state.deliveries.at(-1)!.outcome).toBe('pending');
    await flushJiraDeliveries(jira.state);
    expect(jira.state.deliveries.at(-1)!.outcome).toBe('delivered');
    await jira.call('DELETE', `/rest/webhooks/1.0/webhook/${String((reg.body as { self: string }).self).split('/').pop()}`);
    await new Promise((resolve) => slow.close(resolve));
  });
});

describe('contract', () => {
  it('every response of this file conforms to the Jira OpenAPI description', () => {
    expectConformance(jira.recorded, 10);
  });
});
