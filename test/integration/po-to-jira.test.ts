import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { CF } from '../../electron/engine/sandbox/jira/catalog';
import { getLink, listLinks } from '../../electron/engine/store/links';
import { listFailures } from '../../electron/engine/store/failures';
import { deleteMapping, setMapping } from '../../electron/engine/store/mappings';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { closeWorld, openWorld, type World } from '../helpers/world';

// po-to-jira against the sandbox (Industrial): every project-tied, ordered PO becomes exactly one issue in
// the Jira project mapped to its CloudSuite project, the key lands in SLPos.Uf_JiraKey, a second run writes
// nothing anywhere, a changed PO updates its issue, a closed one is moved to Done and labelled, and a lost
// link never doubles an issue.

let w: World;
beforeAll(async () => {
  w = await openWorld({ poCount: 40, seed: 11 });
}, 120_000);
afterAll(async () => closeWorld(w));

const jira = () => w.sandbox.runtime().jira;
const slpos = () => w.sandbox.runtime().ido.rows('SLPos');
const issuesFor = (po: string) => jira().issues.filter((i) => i.custom[CF.cloudSuitePo] === po);
/** As if Ferry had crashed after creating the issue and before saving its link. */
const dropLink = (po: string) => w.engine.profile.db.prepare("DELETE FROM links WHERE source_system = 'cloudsuite' AND source_id = ? AND target_system = 'jira'").run(po);
const qualifying = () => slpos().filter((p) => p.Uf_ProjNum && p.Stat !== 'P' && p.Stat !== 'C' && p.Stat !== 'H');

describe('po-to-jira', () => {
  it('previews what the selection rule picks, reading CloudSuite only', { timeout: 60_000 }, async () => {
    const issuesBefore = jira().issues.length;
    const preview = await w.engine.handlers.previewJiraSelection({ days: 3660, limit: 5 });
    expect(preview.read).toBe(slpos().length);
    expect(preview.selected).toBe(slpos().filter((p) => p.Uf_ProjNum && p.Stat !== 'P').length);
    expect(preview.leftOut['No project on the PO']).toBe(slpos().filter((p) => !p.Uf_ProjNum && p.Stat !== 'P').length);
    expect(preview.unmapped).toBe(0);
    expect(preview.sample).toHaveLength(5);
    for (const row of preview.sample) expect(row.jiraProject).toBe(jira().projects.find((p) => p.cloudSuiteProjNum === row.project)!.key);
    // A narrower rule: only one PO type, so every other type is left out with the reason.
    setJiraFlowSettings(w.engine.profile.db, { selection: { poTypes: ['X'] } });
    const narrow = await w.engine.handlers.previewJiraSelection({ days: 3660, limit: 5 });
    expect(narrow.selected).toBe(0);
    expect(Object.keys(narrow.leftOut).some((r) => /PO type R is not in the selection \(X\)/.test(r))).toBe(true);
    setJiraFlowSettings(w.engine.profile.db, { selection: { poTypes: [] } });
    expect(jira().issues.length).toBe(issuesBefore);
  });

  it('makes one issue per qualifying PO and writes the key back', { timeout: 120_000 }, async () => {
    expect(qualifying().length).toBeGreaterThan(3);
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.outcome, run.error ?? '').toBe('ok');
    for (const po of qualifying()) {
      const issues = issuesFor(po.PoNum!);
      expect(issues, `PO ${po.PoNum}`).toHaveLength(1);
      const issue = issues[0]!;
      expect(po.Uf_JiraKey).toBe(issue.key);
      const project = jira().projects.find((p) => p.id === issue.projectId)!;
      expect(project.cloudSuiteProjNum).toBe(po.Uf_ProjNum);
      expect(issue.summary).toContain(`PO ${po.PoNum}`);
      // The budget is the PO's total.
      const lines = w.sandbox.runtime().ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum);
      const total = Math.round(lines.reduce((s, l) => s + Number(l.QtyOrdered) * Number(l.ItemCost), 0) * 100) / 100;
      expect(issue.custom[CF.budget]).toBeCloseTo(total, 2);
    }
    // POs without a project never reach Jira.
    for (const po of slpos().filter((p) => !p.Uf_ProjNum)) expect(issuesFor(po.PoNum!)).toHaveLength(0);
    // CloudSuite projects became epics.
    const epics = jira().issues.filter((i) => i.issueTypeId === '10000' && i.custom[CF.cloudSuiteProject] && i.summary.includes('–'));
    expect(epics.length).toBeGreaterThan(0);
    expect(listFailures(w.engine.profile.db, { flow: 'po-to-jira' })).toHaveLength(0);
  });

  it('changes nothing on a second and third run', { timeout: 60_000 }, async () => {
    await w.engine.runFlow('po-to-jira'); // reads back the POs its own key write-back touched
    const issues = jira().issues.length;
    const writes = w.sandbox.stats.count({ method: 'POST' }) + w.sandbox.stats.count({ method: 'PUT' });
    const again = await w.engine.runFlow('po-to-jira');
    expect(again.counts.created + again.counts.updated).toBe(0);
    expect(jira().issues.length).toBe(issues);
    // Searches are POSTs too: count only writes to Jira issues and CloudSuite updates.
    const after = w.sandbox.stats.count({ method: 'POST' }) + w.sandbox.stats.count({ method: 'PUT' });
    const searches = w.sandbox.stats.count({ route: '/rest/api/3/search/jql' });
    expect(after - writes).toBeLessThanOrEqual(searches + 5);
  });

  it('updates the issue of a changed PO and closes the issue of a closed one', { timeout: 60_000 }, async () => {
    const [changed, closed] = qualifying();
    const line = w.sandbox.runtime().ido.rows('SLPoItems').find((l) => l.PoNum === changed!.PoNum)!;
    w.sandbox.runtime().ido.update('SLPoItems', line.RowPointer!, { QtyOrdered: String(Number(line.QtyOrdered) + 10) });
    w.sandbox.runtime().ido.update('SLPos', closed!.RowPointer!, { Stat: 'C' });
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.outcome).toBe('ok');
    expect(run.counts.updated).toBeGreaterThanOrEqual(2);
    const updated = issuesFor(changed!.PoNum!)[0]!;
    const lines = w.sandbox.runtime().ido.rows('SLPoItems').filter((l) => l.PoNum === changed!.PoNum);
    expect(updated.custom[CF.budget]).toBeCloseTo(Math.round(lines.reduce((s, l) => s + Number(l.QtyOrdered) * Number(l.ItemCost), 0) * 100) / 100, 2);
    const done = issuesFor(closed!.PoNum!)[0]!;
    expect(jira().statuses.find((s) => s.id === done.statusId)!.name).toBe('Done');
    expect(done.labels).toContain('cloudsuite-closed');
  });

  it('adopts the existing issue when its link is lost, instead of making a second one', { timeout: 60_000 }, async () => {
    const po = qualifying()[2]!;
    const link = getLink(w.engine.profile.db, 'cloudsuite', po.PoNum!, 'jira')!;
    dropLink(po.PoNum!);
    const line = w.sandbox.runtime().ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
    w.sandbox.runtime().ido.update('SLPoItems', line.RowPointer!, { Description: 'Changed while the link was lost' });
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.outcome).toBe('ok');
    expect(issuesFor(po.PoNum!)).toHaveLength(1);
    expect(getLink(w.engine.profile.db, 'cloudsuite', po.PoNum!, 'jira')!.targetId).toBe(link.targetId);
    expect(listLinks(w.engine.profile.db, 'po-to-jira').length).toBeGreaterThan(3);
  });

  it('waits with a reason when a PO has no Jira project, and replays after the mapping is added', { timeout: 60_000 }, async () => {
    const target = qualifying()[3]!;
    const projNum = target.Uf_ProjNum!;
    const mapping = w.engine.profile.db.prepare("SELECT value FROM mappings WHERE kind = 'jira-project' AND source_key = ?").get(projNum) as { value: string };
    deleteMapping(w.engine.profile.db, 'jira-project', projNum);
    w.sandbox.runtime().ido.update('SLPos', target.RowPointer!, { Uf_JiraKey: null, Stat: 'O' });
    dropLink(target.PoNum!);
    const line = w.sandbox.runtime().ido.rows('SLPoItems').find((l) => l.PoNum === target.PoNum)!;
    w.sandbox.runtime().ido.update('SLPoItems', line.RowPointer!, { Description: 'Needs a mapping' });
    await w.engine.runFlow('po-to-jira');
    const failure = listFailures(w.engine.profile.db, { flow: 'po-to-jira' }).find((f) => f.sourceKey === target.PoNum);
    expect(failure?.reason).toMatch(/has no Jira project/);
    setMapping(w.engine.profile.db, 'jira-project', projNum, JSON.parse(mapping.value));
    const replay = await w.engine.handlers.replayFailures({ ids: [failure!.id], all: false });
    expect(replay.runs[0]!.outcome).toBe('ok');
    expect(listFailures(w.engine.profile.db, { flow: 'po-to-jira' }).find((f) => f.sourceKey === target.PoNum)).toBeUndefined();
    expect(issuesFor(target.PoNum!)).toHaveLength(1);
    expect(slpos().find((p) => p.PoNum === target.PoNum)!.Uf_JiraKey).toBe(issuesFor(target.PoNum!)[0]!.key);
  });

  it('writes the configured note to the PO when its issue reaches a status', { timeout: 60_000 }, async () => {
    setJiraFlowSettings(w.engine.profile.db, { statusNotes: { Done: 'Work complete in Jira' } });
    const po = qualifying()[4]!;
    const issue = issuesFor(po.PoNum!)[0]!;
    const creds = JSON.parse(fs.readFileSync(w.sandbox.tenants[w.sandbox.tenant]!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
    const res = await fetch(`${creds.baseUrl}/rest/api/3/issue/${issue.key}/transitions`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${creds.email}:${creds.apiToken}`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ transition: { id: '31' } }),
    });
    expect(res.status).toBe(204);
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.error).toBeNull();
    expect(slpos().find((p) => p.PoNum === po.PoNum)!.Uf_JiraNote).toBe('Work complete in Jira');
    // Only issues that reached the status: another PO's note stays empty.
    const other = qualifying().find((p) => p.PoNum !== po.PoNum && jira().statuses.find((s) => s.id === issuesFor(p.PoNum!)[0]!.statusId)!.name !== 'Done')!;
    expect(other.Uf_JiraNote ?? null).toBeNull();
    const again = await w.engine.runFlow('po-to-jira');
    expect(again.counts.created + again.counts.updated).toBe(0);
  });

  it('puts PO issues under their project issue when configured', { timeout: 60_000 }, async () => {
    setJiraFlowSettings(w.engine.profile.db, { projects: { createIssues: true, linkPurchaseOrders: true } });
    const po = qualifying()[5]!;
    const line = w.sandbox.runtime().ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
    w.sandbox.runtime().ido.update('SLPoItems', line.RowPointer!, { Description: 'Now under its project' });
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.error).toBeNull();
    const epic = getLink(w.engine.profile.db, 'cloudsuite', `project:${po.Uf_ProjNum}`, 'jira')!;
    const issue = issuesFor(po.PoNum!)[0]!;
    expect(jira().issues.find((i) => i.id === issue.parentId)?.key).toBe(epic.targetId);
  });

  it('uses the PO user field names the connection gives, and says which one CloudSuite does not know', { timeout: 60_000 }, async () => {
    const ionapi = parseIonapi(fs.readFileSync(w.sandbox.files.ionapi, 'utf8'));
    saveCloudSuiteConnection(w.engine.profile, ionapi, w.sandbox.mongooseConfig, { poFields: { jiraKey: 'Uf_JiraTicket' }, rateLimitPerMinute: 10_000 });
    const po = qualifying().at(-1)!;
    const line = w.sandbox.runtime().ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
    w.sandbox.runtime().ido.update('SLPoItems', line.RowPointer!, { Description: 'Read with other field names' });
    const run = await w.engine.runFlow('po-to-jira');
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/Uf_JiraTicket/);
    // Back to the sandbox's own names: the run goes through again.
    saveCloudSuiteConnection(w.engine.profile, ionapi, w.sandbox.mongooseConfig, { poFields: { jiraKey: 'Uf_JiraKey' }, rateLimitPerMinute: 10_000 });
    const again = await w.engine.runFlow('po-to-jira');
    expect(again.error).toBeNull();
  });
});
