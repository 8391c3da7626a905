import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectJira, saveJiraConnection } from '../../electron/engine/connectors/connect';
import { HOOK_PATH, startJiraReceiver, type JiraChange, type JiraReceiver } from '../../electron/engine/connectors/jira/receiver';
import { jiraWebhooks } from '../../electron/engine/flows/jira-webhooks';
import { HttpPool } from '../../electron/engine/http/pool';
import { createLogger } from '../../electron/engine/log';
import { flushJiraDeliveries, jiraCredentials, setJiraDeliveryOptions, type JiraState } from '../../electron/engine/sandbox/jira';
import { listAudit } from '../../electron/engine/store/audit';
import { listFailures } from '../../electron/engine/store/failures';
import { saveLink } from '../../electron/engine/store/links';
import { activeAdminSecrets, hookToken, listWebhooks, readCounters, setWebhookSettings } from '../../electron/engine/store/webhooks';
import { runFlow, type FlowModule } from '../../electron/engine/sync/runner';
import { keepWebhooksAlive, projectJql, watchedJiraProjects, webhookStatus } from '../../electron/engine/sync/webhook-keeper';
import { lastJsonLine, runCli } from '../helpers/cli';
import { control } from '../helpers/sandbox';
import { closeWorld, openWorld, type World } from '../helpers/world';

// The jira-webhooks flow against the sandbox Jira over real HTTP: an OAuth 2.0 connection gets a dynamic
// webhook that is refreshed ahead of its 30-day expiry and registered again when Jira loses it; an API-token
// connection gets a signed admin webhook (or polls), and Ferry's receiver on 127.0.0.1 takes real deliveries,
// refusing forged, replayed and misaddressed ones.

const DAY = 86_400_000;
const log = createLogger(null);

interface Setup {
  w: World;
  jira: JiraState;
  base: string;
  project: string;
  /** The filter Ferry should register: the projects the (demo) jira-project mappings name. */
  jql: string;
  receiver: JiraReceiver;
  changes: JiraChange[];
}

async function setUp(): Promise<Setup> {
  const w = await openWorld();
  const jira = w.sandbox.runtime().jira;
  setJiraDeliveryOptions(jira, { retries: 0, backoffMs: 10, timeoutMs: 2000 });
  const changes: JiraChange[] = [];
  const receiver = await startJiraReceiver({ db: w.engine.profile.db, sealKey: w.engine.profile.sealKey, onChange: (e) => changes.push(e), log });
  const project = jira.projects[0]!.key;
  const projects = watchedJiraProjects(w.engine.profile.db);
  expect(projects).toContain(project);
  return { w, jira, base: w.sandbox.tenants[w.sandbox.tenant]!.endpoints.jira, project, jql: projectJql(projects), receiver, changes };
}

async function tearDown(s: Setup): Promise<void> {
  await flushJiraDeliveries(s.jira);
  await s.receiver.close();
  await closeWorld(s.w);
}

/** The Jira REST API as any Jira user would call it (email + API token). */
async function jiraRest(s: Setup, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const c = jiraCredentials(s.jira);
  const res = await fetch(s.base + path, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

/** The engine's business clock in these runs: the sandbox world's, as the real Jira's and Ferry's clocks agree. */
const worldNow = (s: Setup) => () => s.w.sandbox.clock.now();
const client = (s: Setup) => connectJira(s.w.engine.profile, new HttpPool({ retry: { maxTotalMs: 15_000 } })).client;
const keep = (s: Setup, now: number) =>
  keepWebhooksAlive({ db: s.w.engine.profile.db, sealKey: s.w.engine.profile.sealKey, client: client(s), now: () => now, log, profile: 'default' });

function post(s: Setup, path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(s.receiver.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('OAuth 2.0: a dynamic webhook kept alive', () => {
  let s: Setup;

  beforeAll(async () => {
    s = await setUp();
    const c = jiraCredentials(s.jira);
    saveJiraConnection(
      s.w.engine.profile,
      { auth: 'oauth', baseUrl: s.base, clientId: c.oauth.clientId, tokenUrl: `${s.base}/oauth/token`, apiUrl: s.base },
      { clientSecret: c.oauth.clientSecret, refreshToken: c.oauth.refreshToken },
    );
    setWebhookSettings(s.w.engine.profile.db, { receiverUrl: s.receiver.url });
  });
  afterAll(async () => {
    await control(s.w.sandbox, 'DELETE', '/control/faults');
    await tearDown(s);
  });

  it('previews in a dry run: nothing registered, no hook token made, the would-be registration audited', async () => {
    const run = await runFlow(s.w.engine.profile, 'jira-webhooks', jiraWebhooks as FlowModule, log, undefined, { dryRun: true, now: worldNow(s) });
    expect(run).toMatchObject({ outcome: 'ok', counts: { created: 1, updated: 0, failed: 0 } });
    expect(s.jira.dynamicWebhooks).toEqual([]);
    expect(hookToken(s.w.engine.profile.db, s.w.engine.profile.sealKey, { create: false })).toBeNull();
    expect(listWebhooks(s.w.engine.profile.db)).toEqual([]);
    expect(listAudit(s.w.engine.profile.db, { flow: 'jira-webhooks', limit: 10 }).map((e) => e.action)).toEqual(['polling', 'preview-register']);
  });

  it('registers one webhook on the mapped projects, then leaves it alone while it is far from expiring', async () => {
    const first = await keep(s, s.w.sandbox.clock.now());
    expect(first).toMatchObject({ mode: 'dynamic', changes: { created: 1, updated: 0, unchanged: 0 }, problems: [] });
    expect(first.message).toMatch(/through a dynamic webhook.*expires in (29|30) days; Ferry refreshes it 7 days ahead/);
    const token = hookToken(s.w.engine.profile.db, s.w.engine.profile.sealKey, { create: false })!;
    expect(s.jira.dynamicWebhooks).toHaveLength(1);
    expect(s.jira.dynamicWebhooks[0]).toMatchObject({ url: `${s.receiver.url}${HOOK_PATH}${token}`, jqlFilter: s.jql, events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'] });
    const [stored] = listWebhooks(s.w.engine.profile.db, { state: 'active' });
    expect(stored).toMatchObject({ kind: 'dynamic', id: String(s.jira.dynamicWebhooks[0]!.id), expiresAt: new Date(s.jira.dynamicWebhooks[0]!.expirationDate).toISOString() });
    // The report never shows the token.
    expect(JSON.stringify(first)).not.toContain(token);
    expect(first.webhooks[0]!.url).toBe(`${s.receiver.url}${HOOK_PATH}********`);

    const second = await keep(s, s.w.sandbox.clock.now() + DAY);
    expect(second.changes).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(s.jira.dynamicWebhooks).toHaveLength(1);
    const actions = listAudit(s.w.engine.profile.db, { flow: 'jira-webhooks', limit: 2 }).map((e) => e.action);
    expect(actions).toEqual(['unchanged', 'register']);
  });

  it('takes Jira’s (unsigned) deliveries at the hook address', async () => {
    s.changes.length = 0;
    const created = await jiraRest(s, 'POST', '/rest/api/3/issue', { fields: { project: { key: s.project }, issuetype: { name: 'Task' }, summary: 'Seen by the webhook' } });
    await flushJiraDeliveries(s.jira);
    expect(s.changes).toEqual([{ event: 'jira:issue_created', issueKey: created.key, worklogId: null }]);
    expect(readCounters(s.w.engine.profile.db)).toMatchObject({ accepted: 1, bad_signature: 0 });
  });

  it('refreshes it within 7 days of expiry: the stored expiry moves out', async () => {
    const before = listWebhooks(s.w.engine.profile.db, { state: 'active' })[0]!;
    await control(s.w.sandbox, 'POST', '/control/clock/advance', { ms: 24 * DAY });
    const r = await keep(s, s.w.sandbox.clock.now());
    expect(r).toMatchObject({ mode: 'dynamic', changes: { created: 0, updated: 1, unchanged: 0 }, problems: [] });
    const after = listWebhooks(s.w.engine.profile.db, { state: 'active' })[0]!;
    expect(after.id).toBe(before.id);
    expect(Date.parse(after.expiresAt!) - Date.parse(before.expiresAt!)).toBeGreaterThanOrEqual(24 * DAY - 60_000);
    expect(after.expiresAt).toBe(new Date(s.jira.dynamicWebhooks[0]!.expirationDate).toISOString());
    expect(after.refreshedAt).not.toBeNull();
    expect(r.webhooks[0]!.daysLeft).toBeGreaterThanOrEqual(29);
  });

  it('registers it again when it was deleted on the Jira side', async () => {
    const old = listWebhooks(s.w.engine.profile.db, { state: 'active' })[0]!;
    await client(s).webhooks.delete([Number(old.id)]);
    expect(s.jira.dynamicWebhooks).toHaveLength(0);
    const r = await keep(s, s.w.sandbox.clock.now());
    expect(r.changes).toMatchObject({ created: 1, updated: 0 });
    expect(s.jira.dynamicWebhooks).toHaveLength(1);
    const fresh = listWebhooks(s.w.engine.profile.db, { state: 'active' });
    expect(fresh.map((x) => x.id)).toEqual([String(s.jira.dynamicWebhooks[0]!.id)]);
    expect(listWebhooks(s.w.engine.profile.db, { state: 'gone' }).find((x) => x.id === old.id)?.lastError).toMatch(/Jira no longer has this webhook/);
  });

  it('registers it again when Jira answers the refresh with 404, and the replaced one is removed', async () => {
    const old = listWebhooks(s.w.engine.profile.db, { state: 'active' })[0]!;
    await control(s.w.sandbox, 'PUT', '/control/faults', { rules: [{ system: 'jira', method: 'PUT', path: '/rest/api/3/webhook/refresh', errorRate: { '404': 1 } }] });
    try {
      // 25 days on, 5 days before expiry: time to refresh.
      const r = await keep(s, s.w.sandbox.clock.now() + 25 * DAY);
      expect(r).toMatchObject({ mode: 'dynamic', changes: { created: 1, updated: 0 }, problems: [] });
    } finally {
      await control(s.w.sandbox, 'DELETE', '/control/faults');
    }
    expect(s.jira.dynamicWebhooks).toHaveLength(1);
    expect(String(s.jira.dynamicWebhooks[0]!.id)).not.toBe(old.id);
    expect(listWebhooks(s.w.engine.profile.db, { state: 'gone' }).find((x) => x.id === old.id)?.lastError).toMatch(/refused to refresh it \(HTTP 404\)/);
  });

  it('runs as the jira-webhooks flow: counted, audited in the run, nothing waiting', async () => {
    const run = await runFlow(s.w.engine.profile, 'jira-webhooks', jiraWebhooks as FlowModule, log, undefined, { now: worldNow(s) });
    expect(run).toMatchObject({ outcome: 'ok', counts: { created: 0, updated: 0, unchanged: 1, failed: 0 } });
    expect(listAudit(s.w.engine.profile.db, { flow: 'jira-webhooks', limit: 1 })[0]).toMatchObject({ runId: run.runId, action: 'unchanged', outcome: 'ok' });
    expect(listFailures(s.w.engine.profile.db, { flow: 'jira-webhooks' })).toEqual([]);
  });

  it('puts a registration Jira refuses in the failures queue, polls meanwhile, and clears it once it works', async () => {
    await client(s).webhooks.delete(s.jira.dynamicWebhooks.map((x) => x.id));
    await control(s.w.sandbox, 'PUT', '/control/faults', { rules: [{ system: 'jira', method: 'POST', path: '/rest/api/3/webhook', errorRate: { '400': 1 } }] });
    try {
      const run = await runFlow(s.w.engine.profile, 'jira-webhooks', jiraWebhooks as FlowModule, log, undefined, { now: worldNow(s) });
      expect(run).toMatchObject({ outcome: 'partial', counts: { created: 0, failed: 1 } });
      const [failure] = listFailures(s.w.engine.profile.db, { flow: 'jira-webhooks' });
      expect(failure).toMatchObject({ sourceKey: 'webhook:dynamic', state: 'open', code: 'jira_rejected' });
      expect(failure!.reason).toMatch(/^Jira refused registering webhooks.*Ferry polls Jira meanwhile\.$/);
      expect(webhookStatus(s.w.engine.profile.db, s.w.sandbox.clock.now())).toMatchObject({ mode: 'polling', message: expect.stringMatching(/^Ferry could not set up its Jira webhook: Jira refused registering webhooks.*Ferry polls Jira/) });
    } finally {
      await control(s.w.sandbox, 'DELETE', '/control/faults');
    }
    const run = await runFlow(s.w.engine.profile, 'jira-webhooks', jiraWebhooks as FlowModule, log, undefined, { now: worldNow(s) });
    expect(run).toMatchObject({ outcome: 'ok', counts: { created: 1, failed: 0 } });
    expect(listFailures(s.w.engine.profile.db, { flow: 'jira-webhooks' })).toEqual([]);
    expect(webhookStatus(s.w.engine.profile.db, s.w.sandbox.clock.now()).mode).toBe('dynamic');
  });
});

describe('API token: an admin webhook, or polling', () => {
  let s: Setup;
  let token: string;
  let secret: string;

  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(async () => {
    await control(s.w.sandbox, 'DELETE', '/control/faults');
    await tearDown(s);
  });

  it('polls, and says so in one sentence, while no receiver address is set', async () => {
    const r = await keep(s, s.w.sandbox.clock.now());
    expect(r).toMatchObject({ mode: 'polling', webhooks: [], problems: [], changes: { created: 0 } });
    expect(r.message).toMatch(/^No address where Jira can reach Ferry is set .* Ferry polls Jira each time worklog-to-gl runs \(it has no schedule yet\); changes show up at the next poll\.$/);
    expect(s.jira.adminWebhooks).toEqual([]);
    expect(webhookStatus(s.w.engine.profile.db, s.w.sandbox.clock.now())).toMatchObject({ mode: 'polling', message: r.message });
  });

  it('creates a signed admin webhook on the mapped projects once the receiver address is set', async () => {
    setWebhookSettings(s.w.engine.profile.db, { receiverUrl: s.receiver.url });
    const r = await keep(s, s.w.sandbox.clock.now());
    expect(r).toMatchObject({ mode: 'admin', changes: { created: 1 }, problems: [] });
    token = hookToken(s.w.engine.profile.db, s.w.engine.profile.sealKey, { create: false })!;
    expect(s.jira.adminWebhooks).toHaveLength(1);
    const hook = s.jira.adminWebhooks[0]!;
    expect(hook).toMatchObject({ name: 'Ferry (default)', url: `${s.receiver.url}${HOOK_PATH}${token}`, jqlFilter: s.jql, enabled: true });
    expect(hook.events).toEqual(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'worklog_created', 'worklog_updated', 'worklog_deleted']);
    [secret] = activeAdminSecrets(s.w.engine.profile.db, s.w.engine.profile.sealKey) as [string];
    expect(hook.secret).toBe(secret);
    expect(r.webhooks).toEqual([expect.objectContaining({ kind: 'admin', id: String(hook.id), expiresAt: null, daysLeft: null, state: 'active', lastError: null })]);
    expect((await keep(s, s.w.sandbox.clock.now())).changes).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('receives a real signed delivery: logging work on an issue reaches onChange', async () => {
    s.changes.length = 0;
    const issue = s.jira.issues.find((i) => i.projectId === s.jira.projects[0]!.id)!;
    const worklog = await jiraRest(s, 'POST', `/rest/api/3/issue/${issue.key}/worklog`, { timeSpentSeconds: 3600, started: '2024-03-04T09:00:00.000+0000' });
    await flushJiraDeliveries(s.jira);
    expect(s.changes).toContainEqual({ event: 'worklog_created', issueKey: null, worklogId: worklog.id });
    expect(s.changes).toContainEqual({ event: 'jira:issue_updated', issueKey: issue.key, worklogId: null });
    expect(readCounters(s.w.engine.profile.db)).toEqual({ accepted: s.changes.length, duplicate: 0, bad_signature: 0, unknown_hook: 0, malformed: 0 });
  });

  it('refuses forged, replayed, misaddressed and malformed deliveries, counting each', async () => {
    s.changes.length = 0;
    const before = readCounters(s.w.engine.profile.db);
    const body = JSON.stringify({ timestamp: s.w.sandbox.clock.now(), webhookEvent: 'worklog_deleted', worklog: { id: '99999', issueId: '10001' } });
    const sign = (text: string, key = secret) => `sha256=${crypto.createHmac('sha256', key).update(text).digest('hex')}`;
    const path = `${HOOK_PATH}${token}`;
    const id = crypto.randomUUID();

    expect((await post(s, path, body, { 'X-Hub-Signature': sign(body, 'a guessed secret'), 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() })).status).toBe(401);
    expect((await post(s, path, body, { 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() })).status).toBe(401);
    expect((await post(s, path, body.replace('99999', '99998'), { 'X-Hub-Signature': sign(body), 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() })).status).toBe(401);

    // A genuine delivery, then the same one again (Jira retrying, or a captured request replayed).
    const genuine = { 'X-Hub-Signature': sign(body), 'X-Atlassian-Webhook-Identifier': id };
    expect((await post(s, path, body, genuine)).status).toBe(200);
    expect((await post(s, path, body, genuine)).status).toBe(200);
    expect(s.changes).toEqual([{ event: 'worklog_deleted', issueKey: null, worklogId: '99999' }]);

    expect((await post(s, `${HOOK_PATH}not-the-token`, body, genuine)).status).toBe(404);
    expect((await post(s, `${HOOK_PATH}${token.slice(0, -1)}`, body, genuine)).status).toBe(404);

    const notJira = '{"hello":"world"}';
    expect((await post(s, path, notJira, { 'X-Hub-Signature': sign(notJira), 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() })).status).toBe(400);
    expect((await post(s, path, 'x'.repeat(1024 * 1024 + 1), { 'X-Hub-Signature': sign('x') })).status).toBe(413);

    const after = readCounters(s.w.engine.profile.db);
    expect({
      accepted: after.accepted - before.accepted,
      duplicate: after.duplicate - before.duplicate,
      bad_signature: after.bad_signature - before.bad_signature,
      unknown_hook: after.unknown_hook - before.unknown_hook,
      malformed: after.malformed - before.malformed,
    }).toEqual({ accepted: 1, duplicate: 1, bad_signature: 3, unknown_hook: 2, malformed: 2 });
    expect(s.changes).toHaveLength(1);
  });

  it('creates it again, with a new secret, when it was deleted in Jira', async () => {
    const old = listWebhooks(s.w.engine.profile.db, { kind: 'admin', state: 'active' })[0]!;
    await client(s).adminWebhooks.delete(old.id);
    const r = await keep(s, s.w.sandbox.clock.now());
    expect(r).toMatchObject({ mode: 'admin', changes: { created: 1 } });
    expect(s.jira.adminWebhooks).toHaveLength(1);
    expect(String(s.jira.adminWebhooks[0]!.id)).not.toBe(old.id);
    const [fresh] = activeAdminSecrets(s.w.engine.profile.db, s.w.engine.profile.sealKey);
    expect(fresh).not.toBe(secret);
    expect(s.jira.adminWebhooks[0]!.secret).toBe(fresh);
  });

  it('polls without a failure when the account is not a Jira administrator', async () => {
    await control(s.w.sandbox, 'PUT', '/control/faults', { rules: [{ system: 'jira', path: '/rest/webhooks/1.0/webhook', errorRate: { '403': 1 } }] });
    try {
      const r = await keep(s, s.w.sandbox.clock.now());
      expect(r).toMatchObject({ mode: 'polling', problems: [] });
      expect(r.message).toMatch(/^The Jira account Ferry signs in with is not a Jira administrator.*Ferry polls Jira .*; changes show up at the next poll\.$/);
    } finally {
      await control(s.w.sandbox, 'DELETE', '/control/faults');
    }
  });

  it('`ferry webhooks status --json` prints the report with the counters, without contacting Jira', async () => {
    // Back to a live admin webhook first (the previous test gave up on the old one).
    expect((await keep(s, s.w.sandbox.clock.now())).mode).toBe('admin');
    const requestsBefore = (await control<{ requests: Record<string, unknown> }>(s.w.sandbox, 'GET', '/control/stats')).body;
    const res = await runCli(['webhooks', 'status', '--json', '--data-dir', s.w.tmp.dir]);
    expect(res.code, res.stderr).toBe(0);
    const report = lastJsonLine(res.stdout);
    expect(report).toMatchObject({ mode: 'admin', counters: readCounters(s.w.engine.profile.db), webhooks: [expect.objectContaining({ kind: 'admin', url: `${s.receiver.url}${HOOK_PATH}********` })] });
    expect(res.stdout).not.toContain(token);
    expect((await control(s.w.sandbox, 'GET', '/control/stats')).body).toEqual(requestsBefore);

    const refreshed = await runCli(['webhooks', 'refresh', '--json', '--data-dir', s.w.tmp.dir]);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(lastJsonLine(refreshed.stdout)).toMatchObject({ run: { flow: 'jira-webhooks', outcome: 'ok', counts: { unchanged: 1 } }, mode: 'admin' });

    const text = await runCli(['webhooks', 'status', '--data-dir', s.w.tmp.dir]);
    expect(text.stdout).toMatch(/^Ferry receives Jira changes through an admin webhook, and polls as well\./);
    expect(text.stdout).toMatch(/Deliveries: \d+ accepted, 1 duplicate, 3 with a bad signature, 2 to an unknown address, 2 malformed\./);
  });
});

describe('which Jira projects a webhook watches', () => {
  it('the jira-project mappings first, else the projects of linked issues', async () => {
    const w = await openWorld();
    try {
      const db = w.engine.profile.db;
      db.prepare(`DELETE FROM mappings WHERE kind = 'jira-project'`).run();
      expect(watchedJiraProjects(db)).toEqual([]);
      saveLink(db, { flow: 'po-to-jira', sourceSystem: 'cloudsuite', sourceId: 'PO-9', targetSystem: 'jira', targetId: 'OPS-12', targetStatus: null, contentHash: 'x', lastRunId: null });
      expect(watchedJiraProjects(db)).toEqual(['OPS']);
      const add = db.prepare(`INSERT INTO mappings (kind, source_key, value, updated_at) VALUES ('jira-project', ?, ?, ?)`);
      add.run('*', JSON.stringify({ project: 'FIN', issueType: 'Task' }), new Date().toISOString());
      add.run('type:R', JSON.stringify({ project: 'CAPEX', issueType: 'Task' }), new Date().toISOString());
      add.run('P-1', JSON.stringify({ project: 'FIN', issueType: 'Story' }), new Date().toISOString());
      expect(watchedJiraProjects(db)).toEqual(['CAPEX', 'FIN']);
      expect(projectJql(['CAPEX', 'FIN'])).toBe('project in (CAPEX, FIN)');
    } finally {
      await closeWorld(w);
    }
  });
});
