import fs from 'node:fs';
import type { RunSummary } from '../../shared/api';
import { parseIonapi } from './connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJaggaerConnection, saveJiraConnection } from './connectors/connect';
import type { Engine } from './engine';
import { sandboxDir } from './paths';
import { startSandbox, type Sandbox } from './sandbox';
import type { JaggaerCredentialsFile } from './sandbox/files';

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
}

export async function runDemo(engine: Engine, dataDir: string): Promise<{ sandbox: Sandbox; run: RunSummary }> {
  const sandbox = await startSandbox({ dir: sandboxDir(dataDir) });
  try {
    connectToSandbox(engine, sandbox);
    const run = await engine.runFlow('po-to-jaggaer');
    return { sandbox, run };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}
