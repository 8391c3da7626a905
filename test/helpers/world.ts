import fs from 'node:fs';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { tempDir } from './temp';

// What most flow tests start from: a one-tenant sandbox in a temp folder, and a real engine (encrypted
// store) connected to it the way `ferry demo` connects, on the chosen CloudSuite product.

export interface World {
  tmp: ReturnType<typeof tempDir>;
  sandbox: Sandbox;
  engine: Engine;
}

export async function openWorld(opts: { poCount?: number; seed?: number; product?: 'industrial' | 'm3' } = {}): Promise<World> {
  const tmp = tempDir();
  const sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: opts.poCount ?? 30, seed: opts.seed ?? 7, tenants: ['FERRY_TST'] });
  const engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
  connectToSandbox(engine, sandbox);
  // The sandbox has no ION quota; the default 300/min budget would only slow a test down.
  const m3 = opts.product === 'm3';
  saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), m3 ? null : sandbox.mongooseConfig, {
    ...(m3 ? { product: 'm3' as const } : {}),
    rateLimitPerMinute: 10_000,
  });
  return { tmp, sandbox, engine };
}

export async function closeWorld(w: World): Promise<void> {
  w.engine.close();
  await w.sandbox.close();
  w.tmp.remove();
}
