import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flowNames, type RunSummary } from '../../shared/api';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJaggaerConnection, saveJiraConnection } from '../../electron/engine/connectors/connect';
import { configureSandboxJira } from '../../electron/engine/demo';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { CF } from '../../electron/engine/sandbox/jira/catalog';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import type { JaggaerCredentialsFile } from '../../electron/engine/sandbox/files';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import { listFailures } from '../../electron/engine/store/failures';
import { addM3Template, SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The medium world (2,000 POs, 200 vendors, hundreds of invoices per tenant) through every flow, once per
// CloudSuite product: everything either moves or waits in the failures queue with a reason, and a second
// pass changes nothing.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = tempDir('ferry-medium-');
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), scale: 'medium', seed: 5, origin: TEST_ORIGIN });
}, 120_000);
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

async function connect(tenant: string, product: 'industrial' | 'm3'): Promise<Engine> {
  const engine = await Engine.open({ dataDir: path.join(tmp.dir, `ferry-${product}`), log: createLogger(null), clock: () => sandbox.clock.now() });
  const info = sandbox.tenants[tenant]!;
  // On M3, the setup the tenant's administrator made and told Ferry about (helpers/m3-setup.ts).
  if (product === 'm3') addM3Template(sandbox.runtime(tenant).ido);
  saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(info.files.ionapi, 'utf8')), product === 'industrial' ? info.mongooseConfig : null, {
    product,
    ...(product === 'm3' ? { m3: SANDBOX_M3_SETTINGS } : {}),
    rateLimitPerMinute: 10_000,
  });
  const j = JSON.parse(fs.readFileSync(info.files.jaggaer, 'utf8')) as JaggaerCredentialsFile;
  saveJaggaerConnection(engine.profile, { baseUrl: j.baseUrl, poImportPath: j.poImportPath, clientId: j.clientId }, { clientSecret: j.clientSecret, identity: j.identity, sharedSecret: j.sharedSecret });
  const jira = JSON.parse(fs.readFileSync(info.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
  saveJiraConnection(engine.profile, { auth: 'basic', baseUrl: jira.baseUrl, email: jira.email }, { apiToken: jira.apiToken });
  configureSandboxJira(engine.profile, sandbox, tenant);
  // Labour from the first day of the world's last month (its ledger has closed the periods before it).
  const d = sandbox.clock.date();
  setJiraFlowSettings(engine.profile.db, { posting: { startDate: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10) } });
  return engine;
}

const moved = (r: RunSummary) => r.counts.created + r.counts.updated;

describe.each([
  ['industrial', 'FERRY_TST'],
  ['m3', 'FERRY_PRD'],
] as const)('the medium world through every flow on %s', (product, tenant) => {
  it('moves everything or says why, and a second pass changes nothing', { timeout: 600_000 }, async () => {
    const engine = await connect(tenant, product);
    try {
      const first: Record<string, RunSummary> = {};
      for (const flow of flowNames) {
        first[flow] = await engine.runFlow(flow);
        expect(first[flow]!.outcome, `${flow}: ${first[flow]!.error}`).not.toBe('failed');
      }
      const ordered = sandbox.runtime(tenant).ido.rows('SLPos').filter((p) => p.Stat === 'O').length;
      expect(first['po-to-jaggaer']!.counts.created).toBe(ordered);
      expect(moved(first['invoice-to-cloudsuite']!)).toBeGreaterThan(100);
      expect(moved(first['supplier-sync']!)).toBeGreaterThan(0);
      expect(moved(first['invoice-to-jaggaer']!)).toBeGreaterThan(0);
      // Every project PO that is ordered has exactly one issue (and on Industrial its key is on the PO).
      const jiraIssues = sandbox.runtime(tenant).jira.issues;
      const projectPos = sandbox.runtime(tenant).ido.rows('SLPos').filter((p) => p.Uf_ProjNum && (p.Stat === 'O' || p.Stat === 'F'));
      expect(projectPos.length).toBeGreaterThan(100);
      for (const po of projectPos) {
        const issues = jiraIssues.filter((i) => i.custom[CF.cloudSuitePo] === po.PoNum);
        expect(issues, `PO ${po.PoNum}`).toHaveLength(1);
        if (product === 'industrial') expect(po.Uf_JiraKey).toBe(issues[0]!.key);
      }
      expect(first['worklog-to-gl']!.counts.created).toBeGreaterThan(50);
      // Whatever did not move waits with a reason a person can act on.
      for (const f of listFailures(engine.profile.db)) expect(f.reason.length).toBeGreaterThan(20);

      const writesBefore = sandbox.stats.count({ method: 'POST' });
      // M3 writes through GET (m3api-rest), so its writes are counted where they land: the tenant's rows.
      const tables = sandbox.runtime(tenant).ido;
      const rowWrites = [vi.spyOn(tables, 'insert'), vi.spyOn(tables, 'update')];
      const failuresBefore = listFailures(engine.profile.db).map((f) => f.sourceKey).sort();
      for (const flow of flowNames) {
        const again = await engine.runFlow(flow);
        expect(moved(again), `${flow} moved records on the second pass`).toBe(0);
      }
      // No new writes except re-sending what already waits in the failures queue.
      expect(listFailures(engine.profile.db).map((f) => f.sourceKey).sort()).toEqual(failuresBefore);
      expect(sandbox.stats.count({ method: 'POST' }) - writesBefore).toBeLessThanOrEqual(failuresBefore.length * 3);
      if (product === 'm3') expect(rowWrites.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBeLessThanOrEqual(failuresBefore.length * 3);
      for (const spy of rowWrites) spy.mockRestore();
      expect(verifyAudit(engine.profile.db).ok).toBe(true);
      console.log(
        `${product}: ${flowNames.map((f) => `${f} ${moved(first[f]!)} moved / ${first[f]!.counts.failed} waiting (${first[f]!.requests} requests)`).join('; ')}`,
      );
    } finally {
      engine.close();
    }
  });
});
