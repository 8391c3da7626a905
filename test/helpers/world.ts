import fs from 'node:fs';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import type { Scale } from '../../electron/engine/sandbox/context';
import { addM3Template, SANDBOX_M3_SETTINGS } from './m3-setup';
import { TEST_ORIGIN } from './origin';
import { tempDir } from './temp';

// What most flow tests start from: a one-tenant sandbox in a temp folder, and a real engine (encrypted
// store) connected to it the way `ferry demo` connects, on the chosen CloudSuite product. The world starts
// at a fixed origin, whatever day the tests run, and the engine's business dates follow the world's clock,
// as they follow the one clock the real systems and Ferry share in production.

export { TEST_ORIGIN };

export interface World {
  tmp: ReturnType<typeof tempDir>;
  sandbox: Sandbox;
  engine: Engine;
}

/**
 * `origin`: where the world starts (default TEST_ORIGIN); 'now' for tests whose flows run in a `ferry` child
 * process, whose engine follows the wall clock (see helpers/origin.ts).
 */
export async function openWorld(opts: { poCount?: number; seed?: number; product?: 'industrial' | 'm3'; origin?: Date | 'now'; scale?: Scale } = {}): Promise<World> {
  const tmp = tempDir();
  const sandbox = await startSandbox({
    dir: sandboxDir(tmp.dir),
    poCount: opts.poCount ?? (opts.scale ? undefined : 30),
    scale: opts.scale,
    seed: opts.seed ?? 7,
    tenants: ['FERRY_TST'],
    origin: opts.origin === 'now' ? undefined : (opts.origin ?? TEST_ORIGIN),
  });
  const engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null), clock: () => sandbox.clock.now() });
  connectToSandbox(engine, sandbox);
  // The sandbox has no ION quota; the default 300/min budget would only slow a test down.
  const m3 = opts.product === 'm3';
  // On M3, the setup the sandbox tenant's administrator made and told Ferry about (helpers/m3-setup.ts).
  if (m3) addM3Template(sandbox.runtime().ido);
  saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), m3 ? null : sandbox.mongooseConfig, {
    ...(m3 ? { product: 'm3' as const, m3: SANDBOX_M3_SETTINGS } : {}),
    rateLimitPerMinute: 10_000,
  });
  return { tmp, sandbox, engine };
}

export async function closeWorld(w: World): Promise<void> {
  w.engine.close();
  await w.sandbox.close();
  w.tmp.remove();
}
