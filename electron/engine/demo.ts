import fs from 'node:fs';
import type { RunSummary } from '../../shared/api';
import { parseIonapi } from './connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJaggaerConnection, saveJiraConnection } from './connectors/connect';
import type { Engine } from './engine';
import { sandboxDir } from './paths';
import { startSandbox, type Sandbox } from './sandbox';
import type { JaggaerCredentialsFile } from './sandbox/files';
import { setJiraFlowSettings } from './mapping/jira-settings';
import { setMappings } from './store/mappings';
import type { Profile } from './store/profile';

/**
 * Connects a profile to the sandbox the way a person would: import the .ionapi file the "Infor admin" gave,
 * pick the Mongoose configuration, enter the JAGGAER and Jira credentials. Done on every start because the sandbox's
 * ports change; the sandbox's secrets stay the same.
 */
export function connectToSandbox(engine: Engine, sandbox: Sandbox): void {
  const ionapi = parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8'));
  saveCloudSuiteConnection(engine.profile, ionapi, sandbox.mongooseConfig);
  const j = JSON.parse(fs.readFileSync(sandbox.files.jaggaer, 'utf8')) as JaggaerCredentialsFile;
  saveJaggaerConnection(
    engine.profile,
    { baseUrl: j.baseUrl, poImportPath: j.poImportPath, clientId: j.clientId },
    { clientSecret: j.clientSecret, identity: j.identity, sharedSecret: j.sharedSecret },
  );
  const jira = JSON.parse(fs.readFileSync(sandbox.tenants[sandbox.tenant]!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
  saveJiraConnection(engine.profile, { auth: 'basic', baseUrl: jira.baseUrl, email: jira.email }, { apiToken: jira.apiToken });
  configureSandboxJira(engine.profile, sandbox);
}

/**
 * What a finance team would set up for the Jira flows, filled in for the sandbox: each CloudSuite project's
 * POs go to the Jira project made for it, and labour is credited to the sandbox's accrued labour account.
 * Only what is not set yet: a person's own choices in the demo profile stay.
 */
export function configureSandboxJira(profile: Profile, sandbox: Sandbox, tenant = sandbox.tenant): void {
  const jira = sandbox.runtime(tenant).jira;
  const mapped = new Set((profile.db.prepare("SELECT source_key FROM mappings WHERE kind = 'jira-project'").all() as { source_key: string }[]).map((r) => r.source_key));
  const rows = jira.projects
    .filter((p) => p.cloudSuiteProjNum && !mapped.has(p.cloudSuiteProjNum))
    .map((p) => ({ key: p.cloudSuiteProjNum!, value: { project: p.key, issueType: 'Purchase Order', projectIssueType: 'Epic' }, note: 'sandbox' }));
  if (rows.length > 0) setMappings(profile.db, 'jira-project', rows, 'set');
  if (!profile.db.prepare("SELECT 1 FROM settings WHERE key = 'jira.flows'").get()) {
    setJiraFlowSettings(profile.db, { posting: { accrualAccount: '215000', defaultLabourAccount: '650500' } });
  }
  if (!profile.db.prepare("SELECT 1 FROM mappings WHERE kind = 'labour-rate'").get()) {
    setMappings(profile.db, 'labour-rate', [{ key: '*', value: { rate: 85 }, note: 'sandbox default rate' }], 'set');
  }
}

export async function runDemo(engine: Engine, dataDir: string): Promise<{ sandbox: Sandbox; run: RunSummary }> {
  const sandbox = await startSandbox({ dir: sandboxDir(dataDir) });
  try {
    connectToSandbox(engine, sandbox);
    // Business dates follow the sample world's clock (the wall clock, unless its world was pinned to another day).
    engine.clock = () => sandbox.clock.now();
    const run = await engine.runFlow('po-to-jaggaer');
    return { sandbox, run };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}
