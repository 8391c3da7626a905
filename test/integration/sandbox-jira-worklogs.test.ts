import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJiraActivity } from '../../electron/engine/sandbox/jira';
import { offsetMinutes } from '../../electron/engine/sandbox/jira/time';
import { adf, expectConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Worklogs of the sandbox Jira over real HTTP: per-issue CRUD with the worker's offset kept in `started`,
// the updated/deleted change feeds (oldest first, 1,000 a page, the last minute left out), and
// /worklog/list with its 1,000-id cap.

let jira: JiraSandbox;
let issueKey: string;

beforeAll(async () => {
  jira = await startJira();
  issueKey = jira.state.issues[3]!.key;
});
afterAll(async () => {
  await jira.close();
});

type Worklog = { id: string; issueId: string; started: string; timeSpentSeconds: number; timeSpent: string; updated: string; author: { accountId: string; timeZone: string }; comment?: unknown };
type Changes = { values: { worklogId: number; updatedTime: number; properties: unknown[] }[]; since: number; until: number; self: string; nextPage?: string; lastPage: boolean };

const feed = async (kind: 'updated' | 'deleted', since: number): Promise<Changes> => {
  const res = await jira.call('GET', `/rest/api/3/worklog/${kind}?since=${since}`);
  expect(res.status).toBe(200);
  return res.body as Changes;
};

describe('generated worklogs', () => {
  it('carry each worker’s own UTC offset in started, in several time zones', async () => {
    const page = (await jira.call('GET', `/rest/api/3/worklog/updated?since=0`)).body as Changes;
    const ids = page.values.map((v) => v.worklogId);
    const list = (await jira.call('POST', '/rest/api/3/worklog/list', { body: { ids } })).body as Worklog[];
    expect(list).toHaveLength(ids.length);
    const offsets = new Set<string>();
    for (const w of list) {
      const m = /^(\d{4}-\d\d-\d\dT(\d\d):\d\d:\d\d\.\d{3})([+-]\d{4})$/.exec(w.started)!;
      expect(m, w.started).toBeTruthy();
      const off = m[3]!;
      const minutes = (off.startsWith('-') ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(3)));
      const instant = Date.parse(`${m[1]}Z`) - minutes * 60_000;
      expect(minutes).toBe(offsetMinutes(w.author.timeZone, instant));
      expect(Number(m[2])).toBeGreaterThanOrEqual(8); // office hours on the worker's own clock
      expect(Number(m[2])).toBeLessThan(17);
      offsets.add(off);
    }
    expect(offsets.size).toBeGreaterThanOrEqual(4);
  });
});

describe('worklogs on an issue', () => {
  it('adds, reads, updates, lists and deletes a worklog, keeping the offset the caller sent', async () => {
    const add = await jira.call('POST', `/rest/api/3/issue/${issueKey}/worklog`, { body: { timeSpentSeconds: 5400, started: '2021-01-17T12:34:00.000+0530', comment: adf('Site visit') } });
    expect(add.status).toBe(201);
    const w = add.body as Worklog;
    expect(w).toMatchObject({ started: '2021-01-17T12:34:00.000+0530', timeSpentSeconds: 5400, timeSpent: '1h 30m', comment: adf('Site visit') });
    expect((await jira.call('GET', `/rest/api/3/issue/${issueKey}/worklog/${w.id}`)).body).toMatchObject({ id: w.id });

    const upd = await jira.call('PUT', `/rest/api/3/issue/${issueKey}/worklog/${w.id}`, { body: { timeSpent: '2h' } });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ timeSpentSeconds: 7200, started: '2021-01-17T12:34:00.000+0530' });

    const page = (await jira.call('GET', `/rest/api/3/issue/${issueKey}/worklog?startAt=0&maxResults=1`)).body as { total: number; worklogs: Worklog[]; maxResults: number };
    expect(page.maxResults).toBe(1);
    expect(page.worklogs).toHaveLength(1);
    const all = (await jira.call('GET', `/rest/api/3/issue/${issueKey}/worklog`)).body as { total: number; worklogs: Worklog[] };
    expect(all.total).toBe(page.total);
    expect(all.worklogs.map((x) => x.id)).toContain(w.id);

    expect((await jira.call('DELETE', `/rest/api/3/issue/${issueKey}/worklog/${w.id}`)).status).toBe(204);
    expect((await jira.call('GET', `/rest/api/3/issue/${issueKey}/worklog/${w.id}`)).status).toBe(404);
  });

  it('refuses a worklog without time spent or with an ISO-8601 "Z" date', async () => {
    const res = await jira.call('POST', `/rest/api/3/issue/${issueKey}/worklog`, { body: { started: '2021-01-17T12:34:00.000Z' } });
    expect(res.status).toBe(400);
    const errors = (res.body as { errors: Record<string, string> }).errors;
    expect(errors.timeLogged).toBe('You must indicate the time spent working.');
    expect(errors.started).toMatch(/format/);
  });
});

describe('change feeds', () => {
  it('lists a new worklog in /worklog/updated only after a minute, oldest first, strictly after since', async () => {
    const since = jira.ctx.clock.now('jira') - 1;
    const w = (await jira.call('POST', `/rest/api/3/issue/${issueKey}/worklog`, { body: { timeSpentSeconds: 900, started: '2024-03-01T09:00:00.000-0500' } })).body as Worklog;
    expect((await feed('updated', since)).values).toEqual([]);
    jira.ctx.clock.advance(61_000);
    const after = await feed('updated', since);
    expect(after.values).toEqual([{ worklogId: Number(w.id), updatedTime: after.values[0]!.updatedTime, properties: [] }]);
    expect(after).toMatchObject({ since, until: after.values[0]!.updatedTime, lastPage: true });
    expect(after.self).toContain(`/rest/api/3/worklog/updated?since=${since}`);
    expect((await feed('updated', after.until)).values).toEqual([]);

    await jira.call('DELETE', `/rest/api/3/issue/${issueKey}/worklog/${w.id}`);
    const delSince = after.until;
    expect((await feed('deleted', delSince)).values).toEqual([]);
    jira.ctx.clock.advance(61_000);
    expect((await feed('deleted', delSince)).values.map((v) => v.worklogId)).toEqual([Number(w.id)]);
    expect((await feed('updated', since)).values).toEqual([]);
  });

  it('pages 1,000 at a time with nextPage, oldest first, without gaps or repeats', async () => {
    const since = jira.ctx.clock.now('jira') - 1;
    // People log enough work to need two pages on top of what the generator made.
    const created = 1005 - jira.state.worklogs.length;
    addJiraActivity(jira.ctx, jira.tenant, jira.state, { worklogs: created });
    jira.ctx.clock.advance(61_000);
    const first = await feed('updated', 0);
    expect(first.values).toHaveLength(1000);
    expect(first.lastPage).toBe(false);
    expect(first.nextPage).toBe(first.self.replace(/since=\d+/, `since=${first.until}`));
    const times = first.values.map((v) => v.updatedTime);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const nextPath = new URL(first.nextPage!).pathname + new URL(first.nextPage!).search;
    const second = (await jira.call('GET', nextPath)).body as Changes;
    expect(second.lastPage).toBe(true);
    const ids = [...first.values, ...second.values].map((v) => v.worklogId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(jira.state.worklogs.map((w) => Number(w.id)).sort((a, b) => a - b));
    expect((await feed('updated', since)).values).toHaveLength(created);
  });

  it('returns details for up to 1,000 ids and refuses more', async () => {
    const ids = jira.state.worklogs.slice(0, 3).map((w) => Number(w.id));
    const res = await jira.call('POST', '/rest/api/3/worklog/list', { body: { ids: [...ids, 999_999_999] } });
    expect((res.body as Worklog[]).map((w) => Number(w.id))).toEqual(ids);
    const tooMany = await jira.call('POST', '/rest/api/3/worklog/list', { body: { ids: Array.from({ length: 1001 }, (_, i) => 10_000 + i) } });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as { errorMessages: string[] }).errorMessages[0]).toMatch(/1000/);
  });
});

describe('contract', () => {
  it('every response of this file conforms to the Jira OpenAPI description', () => {
    expectConformance(jira.recorded, 15);
  });
});
