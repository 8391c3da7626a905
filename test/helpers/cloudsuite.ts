import fs from 'node:fs';
import path from 'node:path';
import type { CloudSuiteAdapter } from '../../electron/engine/connectors/cloudsuite/adapter';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { connectCloudSuite, saveCloudSuiteConnection, type CloudSuiteLink } from '../../electron/engine/connectors/connect';
import { HttpPool } from '../../electron/engine/http/pool';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { addM3Template, SANDBOX_M3_SETTINGS } from './m3-setup';
import { TEST_ORIGIN } from './origin';
import { tempDir } from './temp';

// A CloudSuite adapter wired the way a run wires it: the sandbox's .ionapi file imported into a real
// encrypted profile with the product chosen, then connectCloudSuite. Each harness has its own sandbox world.

export type Product = 'industrial' | 'm3';

export interface CloudSuiteHarness {
  product: Product;
  sandbox: Sandbox;
  profile: Profile;
  link: CloudSuiteLink;
  adapter: CloudSuiteAdapter;
  /** A fresh connection (new HTTP clients and tokens), as the next run would make. */
  reconnect(): CloudSuiteLink;
  close(): Promise<void>;
}

export async function startCloudSuite(product: Product, o: { poCount?: number; seed?: number } = {}): Promise<CloudSuiteHarness> {
  const tmp = tempDir();
  const sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), tenants: ['FERRY_TST'], poCount: o.poCount ?? 30, seed: o.seed ?? 11, origin: TEST_ORIGIN });
  const profile = await openProfile(tmp.dir);
  const ionapi = parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8'));
  // The sandbox's gateway has no quota by default: a high budget keeps the tests from pacing themselves.
  // On M3, the setup the sandbox tenant's administrator made and told Ferry about (helpers/m3-setup.ts).
  if (product === 'm3') addM3Template(sandbox.runtime().ido);
  saveCloudSuiteConnection(profile, ionapi, product === 'industrial' ? sandbox.mongooseConfig : null, { product, m3: { company: 100, ...SANDBOX_M3_SETTINGS }, rateLimitPerMinute: 10_000 });
  const reconnect = () => connectCloudSuite(profile, new HttpPool({ retry: { baseDelayMs: 20, maxDelayMs: 200 } }));
  const link = reconnect();
  return {
    product,
    sandbox,
    profile,
    link,
    adapter: link.adapter,
    reconnect,
    close: async () => {
      profile.close();
      await sandbox.close();
      tmp.remove();
    },
  };
}

/** A calendar date (yyyy-mm-dd) on the sandbox clock, `months` back (negative = ahead). */
export function sandboxDay(sandbox: Sandbox, months = 0, day?: number): string {
  const now = sandbox.clock.date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, day ?? now.getUTCDate()));
  return d.toISOString().slice(0, 10);
}
