import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createContext, scaleSizes } from '../../electron/engine/sandbox/context';
import { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { addJiraActivity, generateJira, jiraCredentials, registerJira, type JiraState } from '../../electron/engine/sandbox/jira';
import { SLPROJS, specValidator } from './sandbox-jira-harness';
import { TEST_ORIGIN } from '../helpers/origin';

// The generated Jira world (deterministic, sized by scale, persisted as JSON), the activity generator, and a
// check that the spec validator the other files rely on really fails on a wrong body.

const tenantFor = (ctx: ReturnType<typeof createContext>, projects = true) => ({ id: 'FERRY_TST', ido: new IdoTables(projects ? { SLProjs: SLPROJS } : {}, {}, ctx.clock, () => {}) });

/** The state without what is random on purpose (credentials, cloud id). */
function comparable(state: JiraState): unknown {
  const { credentials: _c, oauth: _o, cloudId: _id, ...rest } = structuredClone(state);
  return rest;
}

describe('generateJira', () => {
  it('is deterministic for a seed, different across seeds, and keeps random credentials', () => {
    const ctxA = createContext({ seed: 7, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const ctxB = createContext({ seed: 7, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const a = generateJira(ctxA, tenantFor(ctxA));
    const b = generateJira(ctxB, tenantFor(ctxB));
    expect(comparable(a)).toEqual(comparable(b));
    expect(jiraCredentials(a).apiToken).not.toBe(jiraCredentials(b).apiToken);
    const ctxC = createContext({ seed: 8, scale: 'small', origin: TEST_ORIGIN.getTime() });
    expect(comparable(generateJira(ctxC, tenantFor(ctxC)))).not.toEqual(comparable(a));
  });

  it('makes one Jira project per CloudSuite project, or its own when there are none', () => {
    const ctx = createContext({ seed: 1, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const fromIdo = generateJira(ctx, tenantFor(ctx));
    expect(fromIdo.projects.map((p) => [p.key, p.cloudSuiteProjNum])).toEqual([
      ['PRJ1001', 'PRJ1001'],
      ['PRJ1002', 'PRJ1002'],
      ['PRJ1003', 'PRJ1003'],
    ]);
    expect(fromIdo.issues.filter((i) => i.projectId === fromIdo.projects[0]!.id).every((i) => i.custom.customfield_10054 === 'PRJ1001' && i.custom.customfield_10051 === 'CC100')).toBe(true);
    const own = generateJira(ctx, tenantFor(ctx, false));
    expect(own.projects).toHaveLength(scaleSizes.small.projects);
    expect(new Set(own.projects.map((p) => p.key)).size).toBe(own.projects.length);
    for (const p of own.projects) expect(p.key).toMatch(/^[A-Z][A-Z0-9]{1,9}$/);
  });

  it('stays within the large-scale budget: ≤ 2,000 issues, ≤ 30,000 worklogs, < 3 s, users in several zones', () => {
    const ctx = createContext({ seed: 3, scale: 'large', origin: TEST_ORIGIN.getTime() });
    const started = performance.now();
    const state = generateJira(ctx, tenantFor(ctx, false));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(state.projects).toHaveLength(scaleSizes.large.projects);
    expect(state.issues.length).toBeLessThanOrEqual(2000);
    expect(state.issues.length).toBeGreaterThan(1000);
    expect(state.worklogs.length).toBeLessThanOrEqual(30_000);
    expect(state.worklogs.length).toBeGreaterThan(10_000);
    expect(state.users).toHaveLength(scaleSizes.large.jiraUsers + 1);
    expect(new Set(state.users.map((u) => u.timeZone)).size).toBeGreaterThanOrEqual(4);
    // Ids in creation order, change times unique (the worklog/updated cursor relies on it).
    const ids = state.worklogs.map((w) => Number(w.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(state.worklogs.map((w) => w.updated)).size).toBe(state.worklogs.length);
    expect(state.worklogs.every((w) => w.updated < ctx.clock.now('jira'))).toBe(true);
  });

  it('survives a JSON round trip: the reloaded state serves the same data with the same credentials', async () => {
    const ctx = createContext({ seed: 1, scale: 'small', origin: TEST_ORIGIN.getTime() });
    const tenant = tenantFor(ctx);
    const reloaded = JSON.parse(JSON.stringify(generateJira(ctx, tenant))) as JiraState;
    const app = Fastify();
    await registerJira(app, ctx, tenant, reloaded);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as { port: number };
      const c = jiraCredentials(reloaded);
      const issue = reloaded.issues[5]!;
      const res = await fetch(`http://127.0.0.1:${port}/rest/api/3/issue/${issue.key}?fields=summary`, { headers: { authorization: `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { fields: { summary: string } }).fields.summary).toBe(issue.summary);
    } finally {
      await app.close();
    }
  });
});

describe('addJiraActivity', () => {
  it('adds issues and worklogs stamped now, in the workers’ zones, and says the state changed', () => {
    let changes = 0;
    const ctx = createContext({ seed: 1, scale: 'small', changed: () => changes++, origin: TEST_ORIGIN.getTime() });
    const tenant = tenantFor(ctx);
    const state = generateJira(ctx, tenant);
    const before = { issues: state.issues.length, worklogs: state.worklogs.length };
    ctx.clock.advance(3_600_000);
    addJiraActivity(ctx, tenant, state, { issues: 2, worklogs: 5 });
    expect(state.issues.length).toBe(before.issues + 2);
    expect(state.worklogs.length).toBe(before.worklogs + 5);
    const fresh = state.worklogs.slice(-5);
    for (const w of fresh) {
      expect(Math.abs(w.updated - ctx.clock.now('jira'))).toBeLessThan(1000);
      const zone = state.users.find((u) => u.accountId === w.authorAccountId)!.timeZone;
      expect(zone).not.toBe('UTC');
      expect(w.started).toMatch(/[+-]\d{4}$/);
    }
    expect(changes).toBeGreaterThan(0);
  });
});

describe('spec validator', () => {
  const v = specValidator();

  it('accepts a conforming body and rejects deliberately wrong ones', () => {
    const good = { values: [{ worklogId: 10001, updatedTime: 1700000000000, properties: [] }], since: 0, until: 1700000000000, self: 'http://127.0.0.1/rest/api/3/worklog/updated?since=0', lastPage: true };
    expect(v.validate('GET', '/rest/api/3/worklog/updated?since=0', 200, good)).toEqual({ checked: true });
    const wrongType = { ...good, values: [{ worklogId: '10001', updatedTime: 1 }] };
    expect(v.validate('GET', '/rest/api/3/worklog/updated', 200, wrongType).error).toMatch(/worklogId must be integer/);
    const extra = { ...good, total: 1 };
    expect(v.validate('GET', '/rest/api/3/worklog/updated', 200, extra).error).toMatch(/additional properties.*total/);
    expect(v.validate('POST', '/rest/api/3/issue', 400, { errorMessages: 'not a list' }).error).toMatch(/errorMessages must be array/);
    expect(v.validate('GET', '/rest/api/3/issue/ABC-1', 200, { id: 1 }).error).toMatch(/\/id must be string/);
  });

  it('resolves path templates under the OAuth gateway prefix and reports unknown operations and statuses', () => {
    expect(v.template('/ex/jira/0f3c3c7e-1111-4222-8333-444455556666/rest/api/3/issue/ABC-1/worklog/10001')).toBe('/rest/api/3/issue/{issueIdOrKey}/worklog/{id}');
    expect(v.template('/rest/api/3/search/jql')).toBe('/rest/api/3/search/jql');
    expect(v.validate('GET', '/rest/api/3/no/such/thing', 200, {}).error).toMatch(/no such path/);
    expect(v.validate('PATCH', '/rest/api/3/issue/ABC-1', 200, {}).error).toMatch(/no such operation/);
    expect(v.validate('GET', '/rest/api/3/worklog/updated', 418, {}).error).toMatch(/not documented/);
    expect(v.validate('POST', '/oauth/token', 200, {}).skipped).toMatch(/outside/);
  });
});
