import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ionTokenCache } from '../../electron/engine/auth/ion';
import { IdoClient } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { Http } from '../../electron/engine/http/client';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { control } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// Tokens that stop working in the middle of a run: revoked by an admin, or expired on the tenant's clock.
// Either must cost one renewal, not a failed run.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], poCount: 40, origin: TEST_ORIGIN });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

function client() {
  const http = new Http({ system: 'CloudSuite' });
  const ionapi = parseIonapi(fs.readFileSync(sandbox.tenants.FERRY_TST!.files.ionapi, 'utf8'));
  const ido = new IdoClient(http, ionTokenCache(http, ionapi), { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: sandbox.mongooseConfig });
  return { http, ido };
}

const pages = async (ido: IdoClient, between: (n: number) => Promise<void>) => {
  let n = 0;
  for await (const page of ido.loadPages('SLPos', { properties: ['PoNum'], orderBy: 'PoNum', recordCap: 2 })) {
    n += page.length;
    await between(n);
  }
  return n;
};

describe('a token that stops working mid-run', () => {
  it('revoked by an admin halfway: one 401, one renewal, every page read', async () => {
    const { ido, http } = client();
    const issued = sandbox.tokens.issued;
    const unauthorized = sandbox.stats.count({ system: 'ido', status: 401 });
    const read = await pages(ido, async (n) => {
      if (n === 20) await control(sandbox, 'POST', '/control/tenants/FERRY_TST/revoke-tokens');
    });
    expect(read).toBe(40);
    expect(sandbox.tokens.issued - issued).toBe(2);
    expect(sandbox.stats.count({ system: 'ido', status: 401 }) - unauthorized).toBe(1);
    expect(http.stats.retries).toBe(0);
  });

  it('expiring on the tenant clock: renewed before it runs out, without a 401', async () => {
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { tokenLifetimeSeconds: 600 });
    const { ido } = client();
    const issued = sandbox.tokens.issued;
    const unauthorized = sandbox.stats.count({ system: 'ido', status: 401 });
    const read = await pages(ido, async (n) => {
      // Ten minutes pass in the middle of the run (the sandbox clock; Ferry's cache keeps real time, so the
      // token it holds is now past its expiry on the server): the server refuses it once, Ferry renews.
      if (n === 20) await control(sandbox, 'POST', '/control/clock/advance', { ms: 601_000 });
    });
    expect(read).toBe(40);
    expect(sandbox.tokens.issued - issued).toBe(2);
    expect(sandbox.stats.count({ system: 'ido', status: 401 }) - unauthorized).toBe(1);
  });

  it('with a lifetime shorter than the renewal margin: renews at half-life, not on every request', async () => {
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { tokenLifetimeSeconds: 2 });
    const { ido } = client();
    const issued = sandbox.tokens.issued;
    const unauthorized = sandbox.stats.count({ system: 'ido', status: 401 });
    const started = Date.now();
    const read = await pages(ido, () => new Promise((r) => setTimeout(r, 120)));
    const seconds = (Date.now() - started) / 1000;
    expect(read).toBe(40);
    // About one token per second of run (half of the 2 s lifetime), not one per request (20 requests).
    expect(sandbox.tokens.issued - issued).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(sandbox.tokens.issued - issued).toBeLessThan(20);
    expect(sandbox.stats.count({ system: 'ido', status: 401 }) - unauthorized).toBe(0);
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/gateway', { tokenLifetimeSeconds: 3600 });
  });
});
