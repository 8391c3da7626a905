import { listConfigurations } from './connectors/configurations';
import { saveJaggaerConnection, saveJiraConnection, storedCloudSuite } from './connectors/connect';
import { DEFAULT_PO_IMPORT_PATH } from './connectors/jaggaer/po-import';
import { connectToSandbox } from './demo';
import type { Engine } from './engine';
import { sandboxDir } from './paths';
import { startSandbox, type Sandbox } from './sandbox';
import { getSetting, setSetting } from './store/settings';
import { z } from 'zod';

// What the first-run wizard asks of the engine beyond the existing API: the Mongoose configurations the
// CloudSuite server offers, saving the JAGGAER and Jira credentials (they go in, never come back out: the
// UI only ever learns "set"), and "Try with sample data" — the built-in sandbox, started inside this engine
// and connected exactly as `ferry demo` does.

export async function cloudSuiteConfigurations(engine: Engine): Promise<{ configurations: string[] }> {
  return { configurations: await listConfigurations(engine.profile, storedCloudSuite(engine.profile).ionapi) };
}

export function connectJaggaerFromUi(engine: Engine, i: { baseUrl: string; clientId: string; identity: string; poImportPath?: string; clientSecret: string; sharedSecret: string }): void {
  saveJaggaerConnection(engine.profile, { baseUrl: i.baseUrl, clientId: i.clientId, poImportPath: i.poImportPath ?? DEFAULT_PO_IMPORT_PATH }, { clientSecret: i.clientSecret, identity: i.identity, sharedSecret: i.sharedSecret });
}

export function connectJiraFromUi(engine: Engine, i: { auth: 'basic'; baseUrl: string; email: string; apiToken: string } | { auth: 'pat'; baseUrl: string; personalAccessToken: string }): void {
  if (i.auth === 'basic') saveJiraConnection(engine.profile, { auth: 'basic', baseUrl: i.baseUrl, email: i.email }, { apiToken: i.apiToken });
  else saveJiraConnection(engine.profile, { auth: 'pat', baseUrl: i.baseUrl }, { personalAccessToken: i.personalAccessToken });
}

const sandboxes = new WeakMap<Engine, Sandbox>();
/** Set while the profile runs on the sample data, so the app starts the sandbox again when it reopens the profile. */
const SAMPLE_DATA_KEY = 'setup.sampleData';

/** Starts the sandbox (once per engine) in the data folder and connects this profile to it; stopped with the engine. */
export async function startSampleData(engine: Engine): Promise<{ tenant: string; created: boolean }> {
  const running = sandboxes.get(engine);
  if (running) {
    connectToSandbox(engine, running);
    return { tenant: running.tenant, created: false };
  }
  const sandbox = await startSandbox({ dir: sandboxDir(engine.dataDir) });
  sandboxes.set(engine, sandbox);
  engine.onClose(() => sandbox.close());
  connectToSandbox(engine, sandbox);
  // Business dates follow the sample world's clock (the wall clock, unless its world was pinned to another day).
  engine.clock = () => sandbox.clock.now();
  setSetting(engine.profile.db, SAMPLE_DATA_KEY, z.boolean(), true);
  return { tenant: sandbox.tenant, created: true };
}

/**
 * The sandbox lives only as long as the engine that started it (it listens on a fresh port each time): when the
 * app opens a profile that runs on sample data — at start, or from Settings → Profiles — it starts it again and
 * points the profile's connections at it. False when the profile uses real systems.
 */
export async function resumeSampleData(engine: Engine): Promise<boolean> {
  if (!getSetting(engine.profile.db, SAMPLE_DATA_KEY, z.boolean(), false)) return false;
  await startSampleData(engine);
  return true;
}

/** The profile was connected to a real CloudSuite (an .ionapi file was imported): the sandbox is not wanted any more. */
export function forgetSampleData(engine: Engine): void {
  setSetting(engine.profile.db, SAMPLE_DATA_KEY, z.boolean(), false);
}
