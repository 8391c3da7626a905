import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOG_LIST_MAX, type WorklogChangePage } from '../../electron/engine/connectors/jira';
import { addJiraActivity } from '../../electron/engine/sandbox/jira';
import { AUTH_KINDS, connect } from './jira-client-harness';
import { expectRequestConformance, startJira, type JiraSandbox } from './sandbox-jira-harness';

// Worklogs through Ferry's Jira client: the change feeds (1,000 a page, the last minute left out), details
// by id in chunks the sandbox accepts (it refuses more than 1,000 ids), and an issue's worklogs by startAt.

let jira: JiraSandbox;

beforeAll(async () => {
  jira = await startJira({ seed: 5 });
});
afterAll(() => jira.close());

async function drain(pages: AsyncGenerator<WorklogChangePage>): Promise<WorklogChangePage[]> {
  const out: WorklogChangePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

const listCalls = (from: number) => jira.sent.slice(from).filter((r) => r.method === 'POST' && r.url.endsWith('/rest/api/3/worklog/list'));

describe('change feeds', () => {
  it('reads the generated history with each kind of sign-in, oldest first', async () => {
    const expected = jira.state.worklogs.map((w) => w.id).sort();
    for (const kind of AUTH_KINDS) {
      const { client } = connect(jira, kind);
      const pages = await drain(client.worklogs.changes('updated', 0));
      expect(pages, kind).toHaveLength(1);
      expect(pages[0]!.lastPage).toBe(true);
      expect(pages[0]!.nextSince).toBeNull();
      const times = pages[0]!.changes.map((c) => c.updatedTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(pages[0]!.changes.map((c) => c.worklogId).sort()).toEqual(expected);
    }
  });

  it('leaves out the last minute, then pages 1,000 at a time following nextPage', async () => {
    const { client } = connect(jira, 'oauth');
    const [history] = await drain(client.worklogs.changes('updated', 0));
    const cursor = history!.until;
    const before = new Set(jira.state.worklogs.map((w) => w.id));
    addJiraActivity(jira.ctx, jira.tenant, jira.state, { worklogs: 1500 });
    const fresh = jira.state.worklogs.map((w) => w.id).filter((id) => !before.has(id));
    expect(fresh).toHaveLength(1500);

    // Stamped "now": inside the minute Jira leaves out, so not there yet.
    const early = await drain(client.worklogs.changes('updated', cursor));
    expect(early.flatMap((p) => p.changes)).toEqual([]);

    jira.ctx.clock.advance(2 * 60_000);
    const from = jira.sent.length;
    const pages = await drain(client.worklogs.changes('updated', cursor));
    expect(pages.map((p) => [p.changes.length, p.lastPage])).toEqual([
      [1000, false],
      [500, true],
    ]);
    expect(pages[0]!.nextSince).toBe(pages[0]!.until);
    expect(pages[1]!.since).toBe(pages[0]!.until);
    expect(pages.flatMap((p) => p.changes.map((c) => c.worklogId))).toEqual(fresh);
    const feed = jira.sent.slice(from).filter((r) => r.url.includes('/worklog/updated'));
    expect(feed.map((r) => new URL(r.url, jira.base).searchParams.get('since'))).toEqual([String(cursor), String(pages[0]!.until)]);
  });

  it('lists deletions after their minute has passed', async () => {
    const { client } = connect(jira, 'pat');
    const [start] = await drain(client.worklogs.changes('deleted', 0));
    const cursor = start!.until;
    const gone = jira.state.worklogs.slice(0, 3);
    for (const w of gone) {
      const issue = jira.state.issues.find((i) => i.id === w.issueId)!;
      expect((await jira.call('DELETE', `/rest/api/3/issue/${issue.key}/worklog/${w.id}`)).status).toBe(204);
    }
    expect((await drain(client.worklogs.changes('deleted', cursor))).flatMap((p) => p.changes)).toEqual([]);
    jira.ctx.clock.advance(61_000);
    const pages = await drain(client.worklogs.changes('deleted', cursor));
    expect(pages.flatMap((p) => p.changes.map((c) => c.worklogId))).toEqual(gone.map((w) => w.id));
  });
});

describe('details', () => {
  it('loads more than 1,000 worklogs by id in chunks the server accepts, keeping each worker’s offset', async () => {
    const { client } = connect(jira, 'basic');
    const ids = jira.state.worklogs.map((w) => w.id);
    expect(ids.length).toBeGreaterThan(1500);
    const from = jira.sent.length;
    const got = await client.worklogs.byIds([...ids, ...ids.slice(0, 10), '999999999']);
    const calls = listCalls(from);
    expect(calls).toHaveLength(Math.ceil(ids.length / WORKLOG_LIST_MAX));
    expect(calls.every((c) => (c.body as { ids: number[] }).ids.length <= WORKLOG_LIST_MAX && c.status === 200)).toBe(true);
    expect(got.map((w) => w.id).sort()).toEqual([...ids].sort());

    const byId = new Map(got.map((w) => [w.id, w]));
    for (const w of jira.state.worklogs) {
      expect(byId.get(w.id)).toMatchObject({ issueId: w.issueId, authorAccountId: w.authorAccountId, started: w.started, timeSpentSeconds: w.timeSpentSeconds });
    }
    // Workers sit in several zones: the offsets survive as written.
    const offsets = new Set(got.map((w) => w.started.slice(-5)));
    expect(offsets.size).toBeGreaterThan(2);
    expect(got[0]!.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
  });

  it('lists one issue’s worklogs page by page (startAt)', async () => {
    const { client } = connect(jira, 'oauth');
    const counts = new Map<string, number>();
    for (const w of jira.state.worklogs) counts.set(w.issueId, (counts.get(w.issueId) ?? 0) + 1);
    const [issueId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const issue = jira.state.issues.find((i) => i.id === issueId)!;
    const from = jira.sent.length;
    const list = await client.worklogs.ofIssue(issue.key, { pageSize: 3 });
    const expected = jira.state.worklogs.filter((w) => w.issueId === issueId).map((w) => w.id).sort();
    expect(list.map((w) => w.id).sort()).toEqual(expected);
    const pages = jira.sent.slice(from).filter((r) => r.url.includes(`/issue/${issue.key}/worklog`));
    expect(pages).toHaveLength(Math.ceil(expected.length / 3));
    expect(pages.map((r) => new URL(r.url, jira.base).searchParams.get('startAt'))).toEqual(pages.map((_, i) => String(i * 3)));
  });
});

describe('requests', () => {
  it('match the official OpenAPI description', () => {
    expectRequestConformance(jira.sent, 15);
  });
});
